CREATE TABLE "due_reminders" (
	"ticket_id" uuid NOT NULL,
	"day" text NOT NULL,
	"recipient_id" uuid,
	"run_id" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "due_reminders_ticket_id_day_pk" PRIMARY KEY("ticket_id","day")
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "due_date" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "due_rank" integer DEFAULT 99999999 NOT NULL;--> statement-breakpoint
ALTER TABLE "due_reminders" ADD CONSTRAINT "due_reminders_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "due_reminders" ADD CONSTRAINT "due_reminders_recipient_id_users_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "due_reminders_run_idx" ON "due_reminders" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "due_reminders_day_idx" ON "due_reminders" USING btree ("day");--> statement-breakpoint
CREATE INDEX "tickets_project_due_idx" ON "tickets" USING btree ("project_id","due_rank","created_at","id");--> statement-breakpoint
CREATE INDEX "tickets_due_open_idx" ON "tickets" USING btree ("due_rank","id") WHERE "tickets"."status" <> 'DONE';