CREATE TABLE `sign_in_throttles` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`window_started_at` integer NOT NULL,
	`locked_until` integer
);
--> statement-breakpoint
ALTER TABLE `mail_deliveries` ADD `message` text;--> statement-breakpoint
ALTER TABLE `mail_deliveries` ADD `swept_at` integer;--> statement-breakpoint
CREATE INDEX `mail_deliveries_status_idx` ON `mail_deliveries` (`status`,`created_at`);--> statement-breakpoint
ALTER TABLE `users` DROP COLUMN `failed_logins`;--> statement-breakpoint
ALTER TABLE `users` DROP COLUMN `locked_until`;