import { createContextKey, type Context } from "@opentelemetry/api";

/**
 * The key `@opentelemetry/core`'s `suppressTracing()` sets. `createContextKey` is `Symbol.for` in
 * every `@opentelemetry/api` 1.x (so that several copies of the API agree), which makes this the
 * very symbol `@opentelemetry/core` uses, without depending on `@opentelemetry/core` at runtime.
 * `test/suppression.test.ts` checks the two agree.
 */
const SUPPRESS_TRACING_KEY = createContextKey("OpenTelemetry SDK Context Key SUPPRESS_TRACING");

/** Whether `context` was marked by `suppressTracing()`: exporters and nested SDK calls do this. */
export function isTracingSuppressed(context: Context): boolean {
  return context.getValue(SUPPRESS_TRACING_KEY) === true;
}

/**
 * `context` marked the way `@opentelemetry/core` marks it, so our own HTTP spans and any other
 * instrumentation (an auto-instrumented `fetch`, say) skip the work done inside it.
 */
export function suppressTracing(context: Context): Context {
  return context.setValue(SUPPRESS_TRACING_KEY, true);
}
