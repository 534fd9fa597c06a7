ALTER TABLE `comments` ADD `body_html` text;--> statement-breakpoint
ALTER TABLE `comments` ADD `rendered_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `comments_rendered_idx` ON `comments` (`rendered_version`);--> statement-breakpoint
ALTER TABLE `tickets` ADD `description_html` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `rendered_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `tickets_rendered_idx` ON `tickets` (`rendered_version`);