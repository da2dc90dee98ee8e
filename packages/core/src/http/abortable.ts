import type { Clock } from "../Clock.js";
import { AbortError } from "../errors/AbortError.js";

/** Reasons credchain itself aborts with, passed to callers as they are. */
const OWN_REASONS = new Set(["AbortError", "TimeoutError", "CredentialUnavailableError"]);

/**
 * The error to reject with when `signal` has aborted: credchain's own reasons (the caller's abort,
 * a timeout, the credential being closed) as they are, anything else wrapped in an AbortError.
 */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error && OWN_REASONS.has(reason.name)
    ? reason
    : new AbortError(undefined, { cause: reason });
}

/** Waits `ms` on the injected clock, rejecting as soon as `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  if (clock.sleep !== undefined) return clock.sleep(ms, signal);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Settles like `promise`, or rejects as soon as `signal` aborts, whichever comes first. The
 * promise itself goes on (others may share it); the caller just stops waiting. `reasonOf` picks
 * the rejection (default `abortReason`).
 */
export function raceAbort<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  reasonOf: (signal: AbortSignal) => unknown = abortReason,
): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(reasonOf(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(reasonOf(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * The reason to stop a timer `sleep` is waiting on once it is no longer needed (the request it
 * guarded finished). One shared instance: `abort()` without a reason builds a `DOMException`, and
 * `sleep` would wrap it in a fresh `AbortError`, two stack captures per request for nothing.
 */
export const TIMER_STOPPED: Error = new AbortError("The timer is no longer needed.");

/**
 * Calls `onFire` after `ms` on the injected clock; the function returned cancels it. On the wall
 * clock a plain timer, without the two abort controllers and the abort event a cancellable
 * `sleep` costs: every token request starts (and cancels) a couple of deadlines.
 */
export function startTimer(clock: Clock, ms: number, onFire: () => void): () => void {
  if (clock.sleep === undefined) {
    const timer = setTimeout(onFire, ms);
    return () => clearTimeout(timer);
  }
  const stop = new AbortController();
  clock.sleep(ms, stop.signal).then(onFire, () => {}); // a rejection: cancelled first
  return () => stop.abort(TIMER_STOPPED);
}
