/**
 * The longest delay a Node.js timer can hold (2^31-1 ms, about 24.8 days). A longer one fires at
 * once with a `TimeoutOverflowWarning`, so a deadline of `1e12` would time out immediately.
 */
export const MAX_DURATION_IN_MS = 2 ** 31 - 1;

/**
 * Checks a duration option and returns it, or `fallback` when it is `undefined`. `what` names the
 * option in the error (e.g. `"retryOptions.maxRetryDelayInMs"`); the value itself is described by
 * its type or number only, never quoted at length.
 */
export function checkDuration(
  what: string,
  value: unknown,
  fallback: number,
  { allowZero = true }: { allowZero?: boolean } = {},
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") {
    throw new TypeError(`${what} must be a number of milliseconds; got ${typeof value}.`);
  }
  if (Number.isNaN(value) || value < 0 || (!allowZero && value === 0) || !Number.isFinite(value)) {
    throw new RangeError(
      `${what} must be a ${allowZero ? "non-negative" : "positive"} finite number of milliseconds; got ${String(value)}.`,
    );
  }
  if (value > MAX_DURATION_IN_MS) {
    throw new RangeError(
      `${what} must be at most ${MAX_DURATION_IN_MS} ms (2^31-1, about 24.8 days, the longest timer Node.js can hold); got ${String(value)}.`,
    );
  }
  return value;
}

/** Clamps a delay to what a timer can hold: a server's huge `Retry-After` must never overflow one. */
export function clampDelay(ms: number): number {
  return ms > MAX_DURATION_IN_MS ? MAX_DURATION_IN_MS : ms < 0 || Number.isNaN(ms) ? 0 : ms;
}
