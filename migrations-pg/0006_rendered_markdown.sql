ALTER TABLE "comments" ADD COLUMN "body_html" text;--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "rendered_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "description_html" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "rendered_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "comments_rendered_idx" ON "comments" USING btree ("rendered_version");--> statement-breakpoint
CREATE INDEX "tickets_rendered_idx" ON "tickets" USING btree ("rendered_version");