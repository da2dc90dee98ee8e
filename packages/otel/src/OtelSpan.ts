import { SpanStatusCode, type Context, type Span } from "@opentelemetry/api";
import type { InstrumentedSpan, SpanAttributeValue } from "@credchain/core";

/** The `name` of whatever was thrown: a low-cardinality `error.type`. */
function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | null | undefined)?.name;
  return typeof name === "string" && name !== "" ? name : "Error";
}

/**
 * The `message` of an `Error`-like value, else nothing: a thrown string or object could hold
 * anything (a response body, a token), so only an error's own message is ever recorded.
 */
function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === "string" ? message : "";
}

/** Copies an attribute value, so a caller mutating its array later does not change the span. */
export function toOtelAttributeValue(
  value: SpanAttributeValue,
): string | number | boolean | string[] {
  return typeof value === "object" ? [...value] : value;
}

/** A credchain span backed by an OpenTelemetry span, with the context its children start in. */
export class OtelSpan implements InstrumentedSpan {
  /** The OpenTelemetry span. */
  readonly span: Span;
  /** The parent context: the caller's `tracingContext`, else the context active at start. */
  readonly parentContext: Context;

  constructor(span: Span, parentContext: Context) {
    this.span = span;
    this.parentContext = parentContext;
  }

  setAttribute(name: string, value: SpanAttributeValue): void {
    this.span.setAttribute(name, toOtelAttributeValue(value));
  }

  /**
   * Status ERROR plus an exception event holding the error's `name` and `message` only: a stack
   * or a `cause` could carry a request body, and never belongs in telemetry.
   */
  recordFailure(error: unknown): void {
    const name = errorName(error);
    const message = errorMessage(error);
    this.span.setAttribute("error.type", name);
    this.span.recordException({ name, message });
    this.span.setStatus({ code: SpanStatusCode.ERROR, message });
  }

  end(): void {
    this.span.end();
  }
}
