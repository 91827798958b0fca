/**
 * What the playground's runs may cost: shared by the engine's side (the session) and the
 * page's (the playground asks for these budgets), without pulling the engine into the page.
 */
import type { RunLimits } from '../core/limits';

/**
 * Most simulated events a replay may process before the setup opens at an earlier moment
 * instead (a few seconds of work). Keeps a hostile link or a very long session from
 * freezing anything.
 */
export const REPLAY_EVENT_BUDGET = 8_000_000;

/**
 * What a playground's runs may hold at once. A tab has a few gigabytes at most; each live
 * item costs a few hundred bytes and checkpoints copy them.
 */
export const PLAYGROUND_LIMITS: RunLimits = { maxLive: 600_000, maxEventsPerMoment: 500_000 };
