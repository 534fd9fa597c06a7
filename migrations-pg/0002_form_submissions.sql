CREATE TABLE "form_submissions" (
	"user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"result" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "form_submissions_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
ALTER TABLE "form_submissions" ADD CONSTRAINT "form_submissions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "form_submissions_created_idx" ON "form_submissions" USING btree ("created_at");