import {
  createNoopMeter,
  ValueType,
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
} from "@opentelemetry/api";
import {
  credentialEvents,
  type TokenAcquiredEvent,
  type TokenCacheHitEvent,
  type TokenErrorEvent,
  type TokenRefreshEvent,
} from "@credchain/core";
import { INSTRUMENTATION_NAME, VERSION } from "./version.js";

/** The names of the metrics this plugin records: the contract dashboards and alerts are built on. */
export const MetricNames = {
  acquisitionDuration: "credchain.token.acquisition.duration",
  cacheLookups: "credchain.token.cache.lookups",
  refreshFailures: "credchain.token.refresh.failures",
} as const;

// Semantic-convention HTTP duration buckets (seconds), with 0 first so memory hits, recorded as
// 0, get a bucket of their own instead of blurring the fastest network answers.
const DURATION_BUCKETS = [
  0, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

function errorType(error: unknown): string {
  const name = (error as { name?: unknown } | null | undefined)?.name;
  return typeof name === "string" && name !== "" ? name : "Error";
}

/**
 * Token metrics recorded from credchain's process-wide lifecycle hooks (`credentialEvents`).
 *
 * Attributes are deliberately low-cardinality: the credential type, the outcome and the error
 * class. Tenants and scopes stay out (a multi-tenant service would explode the series count),
 * and so does anything a payload carries about the token.
 */
export class TokenMetrics {
  readonly #duration: Histogram;
  readonly #lookups: Counter;
  readonly #refreshFailures: Counter;
  #attached = false;

  constructor(meter: Meter) {
    this.#duration = meter.createHistogram(MetricNames.acquisitionDuration, {
      description:
        "Duration of getToken/getTokenInfo calls that reached the token cache; memory hits are recorded as 0.",
      unit: "s",
      valueType: ValueType.DOUBLE,
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    // One counter with a result attribute rather than a hits and a misses counter: the sum over
    // results (every lookup) is meaningful, a hit ratio is one query, and `persistent-hit` needs
    // no third instrument. The values match the span attribute of the same name.
    this.#lookups = meter.createCounter(MetricNames.cacheLookups, {
      description: "Token cache lookups by result.",
      unit: "{lookup}",
      valueType: ValueType.INT,
    });
    this.#refreshFailures = meter.createCounter(MetricNames.refreshFailures, {
      description: "Background token refreshes that failed; the cached token kept being served.",
      unit: "{failure}",
      valueType: ValueType.INT,
    });
  }

  /**
   * Metrics for `provider`, or `undefined` when it is the API's no-op provider: then no listener
   * is added, and credentials keep skipping event payloads on the cache-hit path.
   */
  static create(provider: MeterProvider): TokenMetrics | undefined {
    const meter = provider.getMeter(INSTRUMENTATION_NAME, VERSION);
    return meter === createNoopMeter() ? undefined : new TokenMetrics(meter);
  }

  /** Starts listening. Idempotent. */
  attach(): void {
    if (this.#attached) return;
    this.#attached = true;
    credentialEvents.on("token:cache-hit", this.#onCacheHit);
    credentialEvents.on("token:acquired", this.#onAcquired);
    credentialEvents.on("token:error", this.#onError);
    credentialEvents.on("token:refresh", this.#onRefresh);
  }

  /** Stops listening. Idempotent. */
  detach(): void {
    if (!this.#attached) return;
    this.#attached = false;
    credentialEvents.off("token:cache-hit", this.#onCacheHit);
    credentialEvents.off("token:acquired", this.#onAcquired);
    credentialEvents.off("token:error", this.#onError);
    credentialEvents.off("token:refresh", this.#onRefresh);
  }

  // One outcome is one event: a memory or persistent hit is a `token:cache-hit` (a persistent one
  // with its duration), a network acquisition a `token:acquired`, a failure a `token:error`. The
  // `result` each carries is the vocabulary spans use too; a memory hit while a background
  // refresh runs (`refresh`) counts as a `hit` here, as it did before.
  readonly #onCacheHit = (event: TokenCacheHitEvent): void => {
    const result = event.source === "memory" ? "hit" : "persistent-hit";
    this.#lookups.add(1, {
      "credchain.credential.type": event.credential,
      "credchain.cache.result": result,
    });
    // A memory hit is answered synchronously in well under a microsecond and core reports no
    // duration for it; 0 keeps the histogram's count equal to the number of calls.
    this.#duration.record((event.durationInMs ?? 0) / 1000, {
      "credchain.credential.type": event.credential,
      "credchain.token.result": result,
    });
  };

  readonly #onAcquired = (event: TokenAcquiredEvent): void => {
    // Before v2, core also reported a persistent hit here; it is counted from token:cache-hit.
    if (event.source !== "network") return;
    this.#lookups.add(1, {
      "credchain.credential.type": event.credential,
      "credchain.cache.result": "miss",
    });
    this.#duration.record(event.durationInMs / 1000, {
      "credchain.credential.type": event.credential,
      "credchain.token.result": "miss",
    });
  };

  readonly #onError = (event: TokenErrorEvent): void => {
    this.#lookups.add(1, {
      "credchain.credential.type": event.credential,
      "credchain.cache.result": "miss",
    });
    this.#duration.record(event.durationInMs / 1000, {
      "credchain.credential.type": event.credential,
      "credchain.token.result": "error",
      "error.type": errorType(event.error),
    });
  };

  readonly #onRefresh = (event: TokenRefreshEvent): void => {
    if (event.outcome !== "failed") return;
    this.#refreshFailures.add(1, {
      "credchain.credential.type": event.credential,
      "error.type": errorType(event.error),
    });
  };
}
