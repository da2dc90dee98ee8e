import type { Clock } from "@credchain/core/plugin";

/** The first pause after Redis fails, doubled per failed probe up to the maximum. */
export const BREAKER_FIRST_BACKOFF_IN_MS = 1_000;
export const BREAKER_MAX_BACKOFF_IN_MS = 30_000;

/**
 * Skips Redis while it is failing. Closed: every command goes. The first failure opens it (and is
 * the one failure reported for the outage); while open nothing goes, until the back-off (read
 * from the injected clock) has passed and one command is let through as a probe. The probe
 * succeeding closes it; failing opens it again with twice the back-off.
 */
export class CircuitBreaker {
  readonly #clock: () => Clock;
  #open = false;
  #probing = false;
  #retryAt = 0;
  #backoffInMs = BREAKER_FIRST_BACKOFF_IN_MS;

  constructor(clock: () => Clock) {
    this.#clock = clock;
  }

  /** Whether Redis is being skipped right now. */
  get isOpen(): boolean {
    return this.#open;
  }

  /** Whether a command may go now. While open, `true` at most once per back-off: the probe. */
  allow(): boolean {
    if (!this.#open) return true;
    if (this.#probing || this.#clock().now() < this.#retryAt) return false;
    this.#probing = true;
    return true;
  }

  /** A command succeeded. Returns `true` when this ended an outage. */
  succeeded(): boolean {
    const recovered = this.#open;
    this.#open = false;
    this.#probing = false;
    this.#backoffInMs = BREAKER_FIRST_BACKOFF_IN_MS;
    return recovered;
  }

  /** A command failed. Returns `true` when this started an outage: report that one only. */
  failed(): boolean {
    const started = !this.#open;
    // A command sent before the outage was noticed, failing late: the outage is already timed.
    if (!started && !this.#probing) return false;
    if (!started) this.#backoffInMs = Math.min(this.#backoffInMs * 2, BREAKER_MAX_BACKOFF_IN_MS);
    this.#open = true;
    this.#probing = false;
    this.#retryAt = this.#clock().now() + this.#backoffInMs;
    return started;
  }
}
