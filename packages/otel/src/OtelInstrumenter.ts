import {
  context,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  type Attributes,
  type Context,
  type Link,
  type TracerProvider,
} from "@opentelemetry/api";
import type {
  InstrumentedSpan,
  Instrumenter,
  SpanAttributes,
  SpanStartOptions,
} from "@credchain/core";
import { OtelSpan, toOtelAttributeValue } from "./OtelSpan.js";
import { SUPPRESSED_SPAN } from "./SuppressedSpan.js";
import { TracerSource } from "./TracerSource.js";
import { isTracingSuppressed, suppressTracing } from "./tracingSuppression.js";

/** Whether `value` can be used as an OpenTelemetry `Context` (Azure SDK clients pass one). */
function isContext(value: unknown): value is Context {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<Context>).getValue === "function" &&
    typeof (value as Partial<Context>).setValue === "function"
  );
}

/** credchain attributes without the `undefined` ones, which OpenTelemetry would warn about. */
function toOtelAttributes(attributes: SpanAttributes | undefined): Attributes {
  const result: Attributes = {};
  if (attributes === undefined) return result;
  for (const name of Object.keys(attributes)) {
    const value = attributes[name];
    if (value !== undefined) result[name] = toOtelAttributeValue(value);
  }
  return result;
}

/** credchain's span links as OpenTelemetry links: only spans this instrumenter made have a context. */
function toOtelLinks(links: SpanStartOptions["links"]): Link[] | undefined {
  if (links === undefined || links.length === 0) return undefined;
  const result: Link[] = [];
  for (const link of links) {
    if (link instanceof OtelSpan) result.push({ context: link.span.spanContext() });
  }
  return result.length === 0 ? undefined : result;
}

/**
 * The `Tokens.Instrumenter` the plugin registers: credchain's span seam mapped onto the
 * OpenTelemetry API. `startSpan` answers `undefined` (credchain then does no span work) when no
 * SDK is registered or the SDK made a span with no trace to continue, and a recording-nothing
 * span that suppresses everything under it for `tracingOptions.enabled === false` or a
 * suppressed context.
 */
export class OtelInstrumenter implements Instrumenter {
  readonly #tracers: TracerSource;
  #stopped = false;

  constructor(tracerProvider: TracerProvider | undefined) {
    this.#tracers = new TracerSource(tracerProvider);
  }

  /** Looks the global tracer provider up again; see `TracerSource`. */
  followGlobalProvider(): void {
    this.#tracers.follow();
  }

  /** After this, every call is untraced: credentials keep the instrumenter they resolved. */
  stop(): void {
    this.#stopped = true;
  }

  /**
   * `false` when `startSpan` would answer `undefined` whatever the span: stopped, or no SDK. Costs
   * what the start of `startSpan` costs, without the arguments a caller builds for it; a core
   * that asks first can keep its untraced cache-hit path (see the README's Overhead section).
   */
  isEnabled(): boolean {
    return !this.#stopped && this.#tracers.current() !== undefined;
  }

  startSpan(name: string, options: SpanStartOptions): InstrumentedSpan | undefined {
    if (this.#stopped) return undefined;
    // First, because it is the whole cost of the cache-hit path when no SDK is registered.
    const tracer = this.#tracers.current();
    if (tracer === undefined) return undefined;
    const tracingOptions = options.tracingOptions;
    if (tracingOptions?.enabled === false) return SUPPRESSED_SPAN;
    // Either context being suppressed silences the call. The active one matters even with a
    // `tracingContext`: an exporter that authenticates with a credential suppresses tracing
    // around its export, and tracing the token request would feed the exporter forever. A
    // suppressed `tracingContext` must also silence the HTTP attempts, which start from the
    // active context: the suppressed span's `withSpan` carries the suppression over to them.
    const active = context.active();
    if (isTracingSuppressed(active)) return SUPPRESSED_SPAN;
    const requested = tracingOptions?.tracingContext;
    // A root span (a background refresh) starts its own trace, linked to what started it, rather
    // than becoming the child of a span that has usually ended by then.
    const parent = options.root === true ? ROOT_CONTEXT : isContext(requested) ? requested : active;
    if (parent !== active && isTracingSuppressed(parent)) return SUPPRESSED_SPAN;
    const links = toOtelLinks(options.links);
    const span = tracer.startSpan(
      name,
      {
        kind: options.kind === "client" ? SpanKind.CLIENT : SpanKind.INTERNAL,
        attributes: toOtelAttributes(options.attributes),
        ...(links === undefined ? {} : { links }),
        ...(options.root === true ? { root: true } : {}),
      },
      parent,
    );
    // Sampled out with a valid context: keep it, so the HTTP spans inherit "not sampled" instead
    // of becoming roots of their own. A no-op tracer's span has no context: nothing to continue,
    // but it was started, so it is ended here (credchain never sees it to end it).
    if (!span.isRecording() && !isSpanContextValid(span.spanContext())) {
      span.end();
      return undefined;
    }
    return new OtelSpan(span, parent);
  }

  withSpan<T>(span: InstrumentedSpan, fn: () => T): T {
    if (span instanceof OtelSpan) {
      return context.with(trace.setSpan(span.parentContext, span.span), fn);
    }
    if (span === SUPPRESSED_SPAN) return context.with(suppressTracing(context.active()), fn);
    return fn();
  }
}
