CREATE TABLE `due_reminders` (
	`ticket_id` text NOT NULL,
	`day` text NOT NULL,
	`recipient_id` text,
	`run_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`ticket_id`, `day`),
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recipient_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `due_reminders_run_idx` ON `due_reminders` (`run_id`);--> statement-breakpoint
CREATE INDEX `due_reminders_day_idx` ON `due_reminders` (`day`);--> statement-breakpoint
ALTER TABLE `tickets` ADD `due_date` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `due_rank` integer DEFAULT 99999999 NOT NULL;--> statement-breakpoint
CREATE INDEX `tickets_project_due_idx` ON `tickets` (`project_id`,`due_rank`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_due_open_idx` ON `tickets` (`due_rank`,`id`) WHERE "tickets"."status" <> 'DONE';