/**
 * Hooks for what a broker flavour does not have, shared by the flavours that lack it:
 * a timer kind it never schedules, history for late subscribers, offsets, groups.
 */
import type { GroupState, Partition } from '../state';

/** For a timer kind this flavour never schedules (TTL expiry, visibility timeout). */
export function neverScheduled(): void {}

/** Queues keep no history: a subscriber that joins gets what is published from now on. */
export function fromNowOn(): void {}

/** Offsets exist only on a log. */
export function noOffsets(): string {
  return 'offsets exist only on a log broker';
}

/** Queues have no consumer groups. */
export function noGroup(): GroupState | null {
  return null;
}

/** Queues keep no partitioned log. */
export function noTopics(): Partition[][] {
  return [];
}
