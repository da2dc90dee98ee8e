import type { Clock } from "@credchain/core";

/**
 * Settles as `promise` does, or rejects with `timeoutError()` once `ms` have passed on `clock`
 * (its `sleep` when it has one, so a test's manual clock decides; else a real timer that does not
 * keep the process alive). `promise` itself cannot be cancelled: it is abandoned, and its later
 * outcome ignored.
 */
export async function settleWithin<T>(
  promise: Promise<T>,
  ms: number,
  clock: Clock,
  timeoutError: () => Error,
): Promise<T> {
  const done = new AbortController();
  const deadline = waitOn(clock, ms, done.signal).then(() => {
    throw timeoutError();
  });
  // Once `promise` settles first, the deadline's abort rejection is nobody's business.
  deadline.catch(() => {});
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    done.abort();
  }
}

function waitOn(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  if (clock.sleep !== undefined) return clock.sleep(ms, signal);
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(new Error("deadline no longer needed"));
      },
      { once: true },
    );
  });
}
