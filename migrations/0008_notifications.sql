CREATE TABLE `inbox_items` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`ticket_id` text NOT NULL,
	`actor_id` text,
	`kind` text NOT NULL,
	`ref_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`read_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `inbox_items_user_created_idx` ON `inbox_items` (`user_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `inbox_items_user_unread_idx` ON `inbox_items` (`user_id`) WHERE "inbox_items"."read_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX `inbox_items_ref_user_idx` ON `inbox_items` (`ref_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `inbox_items_ticket_idx` ON `inbox_items` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `ticket_watchers` (
	`ticket_id` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`ticket_id`, `user_id`),
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ticket_watchers_user_idx` ON `ticket_watchers` (`user_id`);--> statement-breakpoint
INSERT OR IGNORE INTO `ticket_watchers` (`ticket_id`, `user_id`, `created_at`)
SELECT `id`, `reporter_id`, `created_at` FROM `tickets` WHERE `reporter_id` IS NOT NULL
UNION SELECT `id`, `assignee_id`, `created_at` FROM `tickets` WHERE `assignee_id` IS NOT NULL
UNION SELECT `ticket_id`, `author_id`, min(`created_at`) FROM `comments` WHERE `author_id` IS NOT NULL GROUP BY `ticket_id`, `author_id`;
