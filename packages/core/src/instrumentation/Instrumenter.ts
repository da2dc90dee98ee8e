/** A value a span attribute can hold. */
export type SpanAttributeValue = string | number | boolean | readonly string[];

/** Span attributes; `undefined` values are left out. */
export type SpanAttributes = Record<string, SpanAttributeValue | undefined>;

/** A span as credchain sees it: just enough to describe a token request. */
export interface InstrumentedSpan {
  setAttribute(name: string, value: SpanAttributeValue): void;
  /** Marks the span failed and records the error's `name` and `message`, never more. */
  recordFailure(error: unknown): void;
  end(): void;
}

/** How to start a span. */
export interface SpanStartOptions {
  kind: "internal" | "client";
  attributes?: SpanAttributes;
  /** The caller's `tracingOptions` from `GetTokenOptions`: a parent context, or a per-call opt-out. */
  tracingOptions?: { tracingContext?: unknown; enabled?: boolean };
  /**
   * Spans this one is linked to, not a child of. A background refresh links to the call that
   * started it: that call's span has usually ended before the refresh does. Optional; an
   * instrumenter that does not support links ignores them.
   */
  links?: readonly InstrumentedSpan[];
  /** Start a new trace instead of a child of the active context (with `links` to say why). */
  root?: boolean;
}

/**
 * The tracing seam, registered under `Tokens.Instrumenter` by a plugin such as `@credchain/otel`.
 * With nothing registered credentials skip all span work.
 */
export interface Instrumenter {
  /**
   * Optional and cheap: `false` means `startSpan` would return `undefined` for every call right
   * now (no SDK registered), so the credential skips span work on its hot path.
   */
  isEnabled?(): boolean;
  /** Starts a span, or returns `undefined` when this call is not traced (no SDK, suppressed). */
  startSpan(name: string, options: SpanStartOptions): InstrumentedSpan | undefined;
  /** Runs `fn` with `span` active, so spans started inside it (the HTTP attempts) are its children. */
  withSpan<T>(span: InstrumentedSpan, fn: () => T): T;
}
