/**
 * @module views/labels — what people read for a ticket's status, priority and key. Pages and emails take them from
 * here, so a status is called the same on the board, in the history and in the email about it.
 */
import type { Priority, Status } from '../db/schema';

export const STATUS_LABELS: Record<Status, string> = {
  OPEN: 'Open',
  IN_PROGRESS: 'In progress',
  REVIEW: 'Review',
  DONE: 'Done',
};

export const PRIORITY_LABELS: Record<Priority, string> = {
  LOW: 'Low',
  MEDIUM: 'Medium',
  HIGH: 'High',
  CRITICAL: 'Critical',
};

/** `NEX-42`: the project key and the ticket's number in it. */
export function ticketKey(projectKey: string, number: number): string {
  return `${projectKey}-${number}`;
}
