import type { Clock } from "./Clock.js";
import { abortReason } from "./http/abortable.js";

interface Sleeper {
  until: number;
  resolve: () => void;
}

/**
 * A clock that moves only when told. `sleep` resolves when `advance` passes its deadline, so
 * back-off, `Retry-After`, refresh and expiry are tested in microseconds. Register it under
 * `Tokens.Clock` in a child container for the credential under test.
 */
export class ManualClock implements Clock {
  #now: number;
  #sleepers: Sleeper[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Moves time forward and wakes every sleeper whose deadline has come. */
  advance(ms: number): void {
    this.#now += ms;
    const due = this.#sleepers.filter((sleeper) => sleeper.until <= this.#now);
    this.#sleepers = this.#sleepers.filter((sleeper) => sleeper.until > this.#now);
    for (const sleeper of due) sleeper.resolve();
  }

  /** How many sleeps are waiting: lets a test wait until code under test has reached its back-off. */
  get pendingSleeps(): number {
    return this.#sleepers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
      const sleeper: Sleeper = {
        until: this.#now + ms,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.#sleepers = this.#sleepers.filter((other) => other !== sleeper);
        reject(abortReason(signal as AbortSignal));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      if (ms <= 0) sleeper.resolve();
      else this.#sleepers.push(sleeper);
    });
  }
}
