import type { Clock } from "../Clock.js";
import { AbortError } from "../errors/AbortError.js";
import { TimeoutError } from "../errors/TimeoutError.js";
import { checkDuration } from "../time/duration.js";
import { startTimer } from "./abortable.js";

/** A signal for one caller's request, and the clean-up that must run when the request ends. */
export interface RequestSignal {
  signal: AbortSignal | undefined;
  dispose(): void;
}

const none: RequestSignal = { signal: undefined, dispose: () => {} };

/**
 * Combines the caller's `abortSignal` and `requestOptions.timeout` into one signal whose reason is
 * an `AbortError` or a `TimeoutError`. The timeout runs on the injected clock.
 */
export function requestSignal(
  clock: Clock,
  abortSignal: AbortSignal | undefined,
  timeoutInMs: number | undefined,
  option = "requestOptions.timeout",
): RequestSignal {
  if (abortSignal === undefined && timeoutInMs === undefined) return none;
  if (timeoutInMs !== undefined) checkDuration(option, timeoutInMs, 0, { allowZero: false });
  const controller = new AbortController();
  const cleanups: Array<() => void> = [];
  if (abortSignal !== undefined) {
    const onAbort = (): void =>
      controller.abort(new AbortError(undefined, { cause: abortSignal.reason }));
    if (abortSignal.aborted) onAbort();
    else {
      abortSignal.addEventListener("abort", onAbort, { once: true });
      cleanups.push(() => abortSignal.removeEventListener("abort", onAbort));
    }
  }
  if (timeoutInMs !== undefined && !controller.signal.aborted) {
    cleanups.push(
      startTimer(clock, timeoutInMs, () => controller.abort(new TimeoutError(timeoutInMs, option))),
    );
  }
  return {
    signal: controller.signal,
    dispose: () => {
      for (const cleanup of cleanups) cleanup();
    },
  };
}
