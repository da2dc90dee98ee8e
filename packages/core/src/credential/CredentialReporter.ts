import type { CacheResult } from "../cache/TokenCacheEngine.js";
import { hasErrorName } from "../errors/hasErrorName.js";
import type { CredentialEventEmitter } from "../events/CredentialEventEmitter.js";
import type { CredentialEventMap, CredentialEventName } from "../events/CredentialEventMap.js";
import { EventSink } from "../events/EventSink.js";
import type { Logger } from "../Logger.js";
import type {
  InstrumentedSpan,
  Instrumenter,
  SpanStartOptions,
} from "../instrumentation/Instrumenter.js";

/** What a report is about: a request's scopes (frozen), tenant and CAE setting. */
export interface ReportSubject {
  readonly scopes: readonly string[];
  readonly tenantId: string;
  readonly cae: boolean;
}

/** Reports one persistent store's failures; handed to the persistence plugin with the store. */
export type StoreReport = (error: unknown, operation: "read" | "write" | "close") => void;

/**
 * Everything a credential tells the outside world, in one place: lifecycle events, log lines and
 * spans, with one result vocabulary (`TokenResult`). Payloads are frozen copies, so a listener
 * cannot change what is sent or cached; nothing is built when nobody listens.
 */
export class CredentialReporter {
  readonly #name: string;
  readonly #sink: EventSink;
  readonly #logger: Logger;
  readonly #instrumenter: Instrumenter | undefined;
  /** The call span active while a call runs its synchronous part: where a refresh it starts links to. */
  #origin: InstrumentedSpan | undefined;
  readonly #refreshSpans = new WeakMap<object, InstrumentedSpan>();

  constructor(
    name: string,
    events: CredentialEventEmitter,
    logger: Logger,
    instrumenter: Instrumenter | undefined,
  ) {
    this.#name = name;
    this.#sink = new EventSink(events);
    this.#logger = logger;
    this.#instrumenter = instrumenter;
    events.onListenerError = (error, event) =>
      logger.warn(`credchain: a "${event}" listener threw or rejected; ignored.`, error);
  }

  /** Where the HTTP pipeline emits `http:*` events. */
  get sink(): EventSink {
    return this.#sink;
  }

  /** Whether a cache hit has anyone to tell: two field reads on the hot path when nobody listens. */
  get wantsHit(): boolean {
    const sink = this.#sink;
    return sink.listening && (sink.has("token:request") || sink.has("token:cache-hit"));
  }

  /** The instrumenter, when it would trace right now (one boolean check when no SDK is registered). */
  tracer(): Instrumenter | undefined {
    const instrumenter = this.#instrumenter;
    return instrumenter?.isEnabled?.() === false ? undefined : instrumenter;
  }

  #emit<T extends CredentialEventName>(event: T, payload: CredentialEventMap[T][0]): void {
    (this.#sink.emit as (e: T, p: CredentialEventMap[T][0]) => void)(
      event,
      Object.freeze(payload) as CredentialEventMap[T][0],
    );
  }

  #base(subject: ReportSubject): {
    credential: string;
    scopes: readonly string[];
    tenantId: string;
    cae: boolean;
  } {
    return {
      credential: this.#name,
      // Frozen once per request; a copy when the caller's array is not ours to freeze.
      scopes: Object.isFrozen(subject.scopes) ? subject.scopes : Object.freeze([...subject.scopes]),
      tenantId: subject.tenantId,
      cae: subject.cae,
    };
  }

  /** A call started (`token:request`). */
  requested(subject: ReportSubject, claims: boolean): void {
    if (this.#sink.has("token:request")) {
      this.#emit("token:request", { ...this.#base(subject), claims });
    }
  }

  /** A call answered from memory: `token:request` then `token:cache-hit`. */
  hit(subject: ReportSubject, result: CacheResult): void {
    this.requested(subject, false);
    if (this.#sink.has("token:cache-hit")) {
      this.#emit("token:cache-hit", {
        ...this.#base(subject),
        source: "memory",
        refreshing: result === "refresh",
        result: result === "refresh" ? "refresh" : "hit",
      });
    }
  }

  /** A call that missed memory got its token: one event, `token:cache-hit` or `token:acquired`. */
  answered(
    subject: ReportSubject,
    result: CacheResult,
    durationInMs: number,
    expiresOnTimestamp: number,
  ): void {
    if (result === "persistent-hit") {
      if (this.#sink.has("token:cache-hit")) {
        this.#emit("token:cache-hit", {
          ...this.#base(subject),
          source: "persistent",
          refreshing: false,
          result,
          durationInMs,
        });
      }
    } else if (this.#sink.has("token:acquired")) {
      this.#emit("token:acquired", {
        ...this.#base(subject),
        source: "network",
        result: "miss",
        durationInMs,
        expiresOnTimestamp,
      });
    }
  }

  /** A call failed (`token:error`). */
  failed(subject: ReportSubject, durationInMs: number, error: unknown): void {
    if (this.#sink.has("token:error")) {
      this.#emit("token:error", { ...this.#base(subject), result: "error", durationInMs, error });
    }
  }

  /** A background refresh started, succeeded or failed: a log line, an event and its span. */
  refresh(
    request: ReportSubject,
    outcome: "started" | "succeeded" | "failed",
    error?: unknown,
    nextAttemptTimestamp?: number,
  ): void {
    if (outcome === "started") this.#startRefreshSpan(request);
    else this.#endRefreshSpan(request, error, outcome === "failed");
    if (outcome === "failed" && hasErrorName(error, "AbortError")) {
      // Abandoned because the token expired first: a fresh request already replaces it.
      this.#logger.debug(
        `credchain: ${this.#name} abandoned a background refresh for ${request.scopes.join(" ")}; ` +
          "the token expired first and a new request replaces it.",
      );
    } else if (outcome === "failed") {
      this.#logger.warn(
        `credchain: ${this.#name} could not refresh a token for ${request.scopes.join(" ")}; ` +
          "serving the cached token until it expires.",
        error,
      );
    }
    if (this.#sink.has("token:refresh")) {
      this.#emit("token:refresh", {
        ...this.#base(request),
        outcome,
        ...(error === undefined ? {} : { error }),
        ...(nextAttemptTimestamp === undefined ? {} : { nextAttemptTimestamp }),
      });
    }
  }

  /** A reporter for one persistent store: what the persistence plugin reports its failures through. */
  storeReporter(store: string): StoreReport {
    return (error, operation) => {
      this.#logger.warn(
        operation === "close"
          ? `credchain: ${this.#name} could not close its persistent token cache ${store}.`
          : `credchain: persistent token cache ${store} ${operation} failed; continuing without it.`,
        error,
      );
      if (operation !== "close" && this.#sink.has("cache:error")) {
        this.#emit("cache:error", { store, operation, error });
      }
    };
  }

  /** The credential was closed (`credential:close`). */
  closed(): void {
    if (this.#sink.has("credential:close")) {
      this.#emit("credential:close", { credential: this.#name });
    }
  }

  /** Starts the span of one traced call, or `undefined` when this call is not traced. */
  startCallSpan(
    instrumenter: Instrumenter,
    method: string,
    subject: ReportSubject,
    claims: boolean,
    tracingOptions: SpanStartOptions["tracingOptions"],
  ): InstrumentedSpan | undefined {
    return instrumenter.startSpan(`${this.#name}.${method}`, {
      kind: "internal",
      attributes: {
        "credchain.credential.type": this.#name,
        "credchain.tenant.id": subject.tenantId,
        "credchain.scopes": subject.scopes,
        "credchain.cae": subject.cae,
        "credchain.claims.present": claims,
      },
      tracingOptions,
    });
  }

  /**
   * Runs a traced call's `fn` with `span` active, remembering it during `fn`'s synchronous part:
   * that is when a lookup may start a background refresh, which links to this span.
   */
  withCallSpan<T>(instrumenter: Instrumenter, span: InstrumentedSpan, fn: () => T): T {
    return instrumenter.withSpan(span, () => {
      const previous = this.#origin;
      this.#origin = span;
      try {
        return fn();
      } finally {
        this.#origin = previous;
      }
    });
  }

  /** Runs a background refresh's acquisition inside its own span (children: the HTTP attempts). */
  traceRefresh<T>(request: object, fn: () => T): T {
    const span = this.#refreshSpans.get(request);
    const instrumenter = this.#instrumenter;
    return span === undefined || instrumenter === undefined
      ? fn()
      : instrumenter.withSpan(span, fn);
  }

  #startRefreshSpan(request: ReportSubject): void {
    const instrumenter = this.tracer();
    if (instrumenter === undefined) return;
    const origin = this.#origin;
    // Its own trace, linked to the call that started it: that call's span ends long before the
    // refresh does, and a child outliving its parent misleads every trace viewer.
    const span = instrumenter.startSpan(`${this.#name}.refresh`, {
      kind: "internal",
      root: true,
      ...(origin === undefined ? {} : { links: [origin] }),
      attributes: {
        "credchain.credential.type": this.#name,
        "credchain.tenant.id": request.tenantId,
        "credchain.scopes": request.scopes,
        "credchain.cae": request.cae,
      },
    });
    if (span !== undefined) this.#refreshSpans.set(request, span);
  }

  #endRefreshSpan(request: ReportSubject, error: unknown, failed: boolean): void {
    const span = this.#refreshSpans.get(request);
    if (span === undefined) return;
    this.#refreshSpans.delete(request);
    if (failed) span.recordFailure(error);
    span.end();
  }
}
