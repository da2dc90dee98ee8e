import type { InstrumentedSpan } from "@credchain/core";

/**
 * What `startSpan` returns for a call made with `tracingOptions: { enabled: false }` or in a
 * suppressed context (`suppressTracing()` from `@opentelemetry/core`). Returning
 * `undefined` would skip `withSpan`, and the HTTP attempts would then be traced under the
 * caller's span; this span records nothing, and `withSpan` runs the call in a suppressed context
 * so they are not.
 */
export class SuppressedSpan implements InstrumentedSpan {
  setAttribute(): void {}
  recordFailure(): void {}
  end(): void {}
}

/** One instance serves every suppressed call: it has no state. */
export const SUPPRESSED_SPAN = new SuppressedSpan();
