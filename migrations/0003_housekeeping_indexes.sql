CREATE INDEX `mail_deliveries_body_idx` ON `mail_deliveries` (`created_at`) WHERE "mail_deliveries"."text_body" is not null;--> statement-breakpoint
CREATE INDEX `password_resets_expires_idx` ON `password_resets` (`expires_at`);--> statement-breakpoint
CREATE INDEX `password_resets_used_idx` ON `password_resets` (`used_at`);--> statement-breakpoint
CREATE INDEX `sessions_expires_idx` ON `sessions` (`expires_at`);--> statement-breakpoint
CREATE INDEX `sessions_last_seen_idx` ON `sessions` (`last_seen_at`);--> statement-breakpoint
CREATE INDEX `sign_in_throttles_window_idx` ON `sign_in_throttles` (`window_started_at`);