import { getEventListeners } from "node:events";
import { performance } from "node:perf_hooks";
import type { Clock } from "../Clock.js";
import type { Logger } from "../Logger.js";
import { ClientAuthenticationError } from "../errors/ClientAuthenticationError.js";
import { hasErrorName } from "../errors/hasErrorName.js";
import type { EventSink } from "../events/EventSink.js";
import type { Instrumenter } from "../instrumentation/Instrumenter.js";
import { checkDuration, clampDelay } from "../time/duration.js";
import { abortReason, raceAbort, sleep, startTimer } from "./abortable.js";
import { checkTransportResponse } from "./checkTransportResponse.js";
import type { HttpRequest, HttpResponse, HttpTransport } from "./HttpTransport.js";
import { MAX_RESPONSE_BYTES, ResponseTooLargeError } from "./ResponseTooLargeError.js";
import { retryAfterInMs } from "./retryAfter.js";
import { sanitizeTransportError } from "./sanitizeTransportError.js";
import { honoursSignal } from "./honoursSignal.js";
import { permanentTransportFailure, proxyFailureMessage } from "./transportFailure.js";
import { USER_AGENT } from "./userAgent.js";

/** Retry settings; every field optional, defaults as in the Azure SDK. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /**
   * The first back-off delay, doubled per retry, with ±20% jitter. Default 200 ms: 0.2, 0.4 and
   * 0.8 s, so a caller never waits more than ~1 s past the end of an outage for the next attempt
   * (the Azure SDK's 800 ms default leaves gaps of up to 3.8 s). `Retry-After` still wins.
   */
  retryDelayInMs?: number;
  /** No wait, back-off or `Retry-After`, is longer than this. Default 60,000 ms. */
  maxRetryDelayInMs?: number;
}

/** How one attempt ended, as a {@link RetryPolicy} sees it. */
export interface RetryContext {
  /** 0 for the first attempt, then the retry number. */
  readonly attempt: number;
  /** The response status; `undefined` when the attempt failed without one (a network error). */
  readonly status?: number;
  /** The response headers (lower-case names), when there was a response. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Replaces the built-in retry rules for a credential whose service documents its own (managed
 * identity's IMDS retries 404 and 410 while it warms up, with longer waits). `retryOptions`'
 * `maxRetries` and `retryDelayInMs` no longer apply; `maxRetryDelayInMs` and `Retry-After` still do.
 */
export interface RetryPolicy {
  /** Whether to send the request again after this attempt. */
  shouldRetry(context: RetryContext): boolean;
  /** The wait before the next attempt; `undefined` uses the pipeline's exponential back-off. */
  delayInMs?(context: RetryContext): number | undefined;
}

/** Everything the pipeline needs, resolved once per credential. */
export interface HttpPipelineOptions {
  transport: HttpTransport;
  clock: Clock;
  retry?: RetryOptions;
  /** Replaces the built-in retry rules for every request of this pipeline. */
  retryPolicy?: RetryPolicy;
  events?: EventSink;
  instrumenter?: Instrumenter;
  logger?: Logger;
  maxResponseBytes?: number;
  /**
   * The deadline of one attempt: connect, headers and the whole body, on the injected clock. A
   * timed-out attempt is retried like a network error. Default: none (credentials pass 10,000 ms).
   */
  attemptTimeoutInMs?: number;
  /** Jitter source, [0, 1). Default Math.random. */
  random?: () => number;
}

/** Statuses that mean "try again later": timeouts, throttling and transient server faults. */
const RETRIABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

function nonNegativeInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `retryOptions.${name} must be a non-negative number; got ${String(value)}.`,
    );
  }
  return value;
}

/** Why one attempt was cut short by `attemptTimeoutInMs`: retried like a network failure. */
class AttemptTimeoutError extends Error {
  override readonly name = "AttemptTimeoutError";
  constructor(timeoutInMs: number) {
    super(`no complete response within ${timeoutInMs} ms (attemptTimeoutInMs)`);
  }
}

/** The transport's class name, for messages about what it returned. */
function transportName(transport: HttpTransport): string {
  const name = (transport as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "" && name !== "Object" ? name : "the HttpTransport";
}

/** The request's URL without query or fragment: safe for events and spans. */
function safeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** Spare attempt controllers kept per pipeline: about as many as attempts run at once. */
const MAX_SPARE_CONTROLLERS = 16;

/**
 * Sends a request through any transport with retries, exponential back-off with jitter,
 * `Retry-After`, abort and a response size cap; reports each attempt as an event and a CLIENT
 * span. Only network errors and 408/429/5xx-transient statuses are retried: any other 4xx is the
 * answer.
 */
export class HttpPipeline {
  readonly #options: HttpPipelineOptions;
  readonly #maxRetries: number;
  readonly #retryDelayInMs: number;
  readonly #maxRetryDelayInMs: number;
  readonly #maxResponseBytes: number;
  readonly #attemptTimeoutInMs: number | undefined;
  /**
   * Attempt controllers that ended unaborted with no listener left, for later attempts: a new
   * `AbortController` and the first listener on its signal cost more than the rest of the
   * pipeline. Only for transports of ours (`honoursSignal`), which let go of the signal on settling.
   */
  readonly #spareControllers: AbortController[] = [];

  constructor(options: HttpPipelineOptions) {
    this.#options = options;
    this.#maxRetries = Math.floor(nonNegativeInteger("maxRetries", options.retry?.maxRetries, 3));
    this.#retryDelayInMs = checkDuration(
      "retryOptions.retryDelayInMs",
      options.retry?.retryDelayInMs,
      200,
    );
    this.#maxRetryDelayInMs = checkDuration(
      "retryOptions.maxRetryDelayInMs",
      options.retry?.maxRetryDelayInMs,
      60_000,
    );
    this.#attemptTimeoutInMs =
      options.attemptTimeoutInMs === undefined
        ? undefined
        : checkDuration("attemptTimeoutInMs", options.attemptTimeoutInMs, 0, { allowZero: false });
    this.#maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  }

  /** The back-off before retry number `attempt + 1`. */
  #backoff(attempt: number): number {
    const exponential = Math.min(this.#maxRetryDelayInMs, this.#retryDelayInMs * 2 ** attempt);
    const jitter = 0.8 + 0.4 * (this.#options.random ?? Math.random)();
    return Math.min(this.#maxRetryDelayInMs, exponential * jitter);
  }

  /** Whether to retry, and after how long: the policy's answer, else the built-in rules. */
  #retryDelay(
    policy: RetryPolicy | undefined,
    context: RetryContext,
    now: number,
  ): number | undefined {
    if (policy === undefined) {
      if (context.attempt >= this.#maxRetries) return undefined;
      if (context.status !== undefined && !RETRIABLE_STATUSES.has(context.status)) return undefined;
    } else if (!policy.shouldRetry(context)) {
      return undefined;
    }
    const asked = context.headers === undefined ? undefined : retryAfterInMs(context.headers, now);
    const own = policy?.delayInMs?.(context);
    // Clamped: a server's `Retry-After: 1e9` waits at most maxRetryDelayInMs, never overflowing a timer.
    return clampDelay(
      Math.min(this.#maxRetryDelayInMs, asked ?? own ?? this.#backoff(context.attempt)),
    );
  }

  /** The signal one attempt runs under: the caller's, plus `attemptTimeoutInMs` on the injected clock. */
  #attemptSignal(signal: AbortSignal | undefined): {
    signal: AbortSignal | undefined;
    timedOut(): boolean;
    dispose(): void;
  } {
    const timeoutInMs = this.#attemptTimeoutInMs;
    if (timeoutInMs === undefined) {
      return { signal, timedOut: () => false, dispose: () => {} };
    }
    const spares = this.#spareControllers;
    const controller = spares.pop() ?? new AbortController();
    let timedOut = false;
    const onAbort = (): void => controller.abort(signal?.reason);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
    const stopTimer = startTimer(this.#options.clock, timeoutInMs, () => {
      timedOut = true;
      controller.abort(new AttemptTimeoutError(timeoutInMs));
    });
    return {
      signal: controller.signal,
      timedOut: () => timedOut && signal?.aborted !== true,
      dispose: () => {
        stopTimer();
        signal?.removeEventListener("abort", onAbort);
        // Never reused once aborted (it cannot be reset) or while anything still listens to it.
        if (
          spares.length < MAX_SPARE_CONTROLLERS &&
          !controller.signal.aborted &&
          honoursSignal(this.#options.transport) &&
          getEventListeners(controller.signal, "abort").length === 0
        ) {
          spares.push(controller);
        }
      },
    };
  }

  /**
   * Sends `request`, retrying as the pipeline's rules (or `retryPolicy`, for this request only)
   * say. Rejects with `ClientAuthenticationError` when the endpoint cannot be reached.
   */
  async send(
    request: HttpRequest,
    signal?: AbortSignal,
    retryPolicy: RetryPolicy | undefined = this.#options.retryPolicy,
  ): Promise<HttpResponse> {
    const { transport, clock, events, instrumenter } = this.#options;
    const url = new URL(request.url);
    const headers = { "user-agent": USER_AGENT, ...request.headers };
    const publicUrl = safeUrl(url);
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw abortReason(signal);
      const started = performance.now();
      if (events?.has("http:request")) {
        events.emit("http:request", { method: request.method, url: publicUrl, attempt });
      }
      const span = instrumenter?.startSpan(`${request.method}`, {
        kind: "client",
        attributes: {
          "http.request.method": request.method,
          "server.address": url.hostname,
          "server.port": Number(url.port || (url.protocol === "https:" ? 443 : 80)),
          "url.full": publicUrl,
          "http.request.resend_count": attempt > 0 ? attempt : undefined,
        },
      });
      let response: HttpResponse;
      /** Set when the transport itself is at fault: passed on as it is, never retried. */
      let invalidResponse: Error | undefined;
      const attempt$ = this.#attemptSignal(signal);
      try {
        const sent: HttpRequest = { ...request, headers };
        if (attempt$.signal !== undefined) sent.signal = attempt$.signal;
        // Raced, so a transport that ignores its signal still cannot outlive the attempt.
        const returned: unknown = honoursSignal(transport)
          ? await transport.send(sent)
          : await raceAbort(transport.send(sent), attempt$.signal);
        const invalid = checkTransportResponse(returned);
        if (invalid !== undefined) {
          // A bug in the transport, not the network: retrying cannot help, and "check the
          // network" would send the user looking in the wrong place.
          const error = new ClientAuthenticationError(
            `${transportName(transport)} (the registered HttpTransport) returned an invalid response for ${publicUrl}: ${invalid}. ` +
              "A transport's send() must resolve { status: number, headers: Record<string, string>, body: string }.",
          );
          span?.recordFailure(error);
          span?.end();
          invalidResponse = error;
          throw error;
        }
        response = returned as HttpResponse;
        // Bytes, not UTF-16 units: a custom transport's body is checked against the same cap.
        if (Buffer.byteLength(response.body, "utf8") > this.#maxResponseBytes) {
          throw new ResponseTooLargeError(this.#maxResponseBytes);
        }
      } catch (error) {
        if (invalidResponse !== undefined) {
          attempt$.dispose();
          throw invalidResponse;
        }
        const failure = signal?.aborted
          ? abortReason(signal)
          : hasErrorName(error, "ResponseTooLargeError")
            ? (error as Error)
            : attempt$.timedOut()
              ? new AttemptTimeoutError(this.#attemptTimeoutInMs ?? 0)
              : sanitizeTransportError(error, request.body);
        attempt$.dispose();
        if (span !== undefined) {
          span.setAttribute("error.type", failure.name);
          span.recordFailure(failure);
          span.end();
        }
        if (events?.has("http:response")) {
          events.emit("http:response", {
            method: request.method,
            url: publicUrl,
            attempt,
            error: failure,
            durationInMs: performance.now() - started,
          });
        }
        if (signal?.aborted) throw failure;
        if (hasErrorName(failure, "ResponseTooLargeError")) {
          throw new ClientAuthenticationError(failure.message, { cause: failure });
        }
        const permanent = permanentTransportFailure(failure, url.origin);
        if (permanent !== undefined) throw permanent;
        const delay = this.#retryDelay(retryPolicy, { attempt }, clock.now());
        if (delay === undefined) {
          throw new ClientAuthenticationError(
            proxyFailureMessage(failure, attempt + 1) ??
              `Could not reach the token endpoint ${publicUrl}: ${describeNetworkError(failure)} ` +
                `(${attempt + 1} attempt${attempt === 0 ? "" : "s"}). Check the authority host and the network.`,
            { cause: failure },
          );
        }
        this.#options.logger?.debug(
          `credchain: ${publicUrl} failed (${describeNetworkError(failure)}); retrying.`,
        );
        await sleep(clock, delay, signal);
        continue;
      }
      attempt$.dispose();
      if (span !== undefined) {
        span.setAttribute("http.response.status_code", response.status);
        if (response.status >= 400) span.setAttribute("error.type", String(response.status));
        span.end();
      }
      if (events?.has("http:response")) {
        events.emit("http:response", {
          method: request.method,
          url: publicUrl,
          attempt,
          status: response.status,
          durationInMs: performance.now() - started,
        });
      }
      if (response.status < 400) return response;
      const delay = this.#retryDelay(
        retryPolicy,
        { attempt, status: response.status, headers: response.headers },
        clock.now(),
      );
      if (delay === undefined) return response;
      this.#options.logger?.debug(
        `credchain: ${publicUrl} answered ${response.status}; retrying in ${Math.round(delay)} ms.`,
      );
      await sleep(clock, delay, signal);
    }
  }
}
