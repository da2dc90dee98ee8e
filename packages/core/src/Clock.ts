/**
 * The time source. Every time decision in credchain (expiry, refresh, retry back-off,
 * `Retry-After`) reads it, so tests control time instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Waits `ms` milliseconds, rejecting at once when `signal` aborts. Optional: without it a real
   * timer is used. A test clock implements it to advance virtual time instead of waiting.
   */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The wall clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
};
