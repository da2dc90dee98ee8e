import { DEFAULT_REQUEST_LOG_LIMIT } from "./constants.js";
import type { FaultKind } from "./faults.js";

/** Which endpoint a logged request hit. */
export type EndpointKind =
  "token" | "openid-configuration" | "keys" | "instance-discovery" | "not-found";

/**
 * One request the authority received. Entries are added when a request arrives and completed
 * (`status`, `fault`) when it is answered, so a hanging request is visible with `status: 0`.
 * The client secret is never recorded: not the body, not the query, not `Authorization`.
 */
export interface RequestLogEntry {
  /** The `x-ms-request-id` (and error `trace_id`) of the response. */
  readonly requestId: string;
  readonly method: string;
  /** Path without query string. */
  readonly path: string;
  readonly endpoint: EndpointKind;
  /** Tenant from the path, when the endpoint has one. */
  readonly tenant: string | undefined;
  /** `client_id` of a token request (from the body or HTTP Basic authentication). */
  readonly clientId: string | undefined;
  /** Whether a client secret was sent; the secret itself is never stored. */
  readonly hasClientSecret: boolean;
  readonly grantType: string | undefined;
  /** Requested scopes, split on whitespace. */
  readonly scopes: readonly string[];
  /** The raw `claims` parameter, when sent. */
  readonly claims?: string;
  /** Response status; `0` while unanswered and for requests that never get one (reset, hang). */
  readonly status: number;
  /** The fault applied to this request, if any. */
  readonly fault: FaultKind | "outage" | undefined;
  /** Arrival time in epoch milliseconds, from the authority's clock (`options.now`). */
  readonly time: number;
  /** Request headers, lower-cased; credentials-bearing headers are replaced by `[redacted]`. */
  readonly headers: Readonly<Record<string, string>>;
}

/** The log's own view of an entry: the fields it fills in as the request progresses. */
export type MutableRequestLogEntry = {
  -readonly [K in keyof RequestLogEntry]: RequestLogEntry[K];
};

const REDACTED_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
]);

/** Copies headers for the log, dropping values that can carry credentials. */
export function headersForLog(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = REDACTED_HEADERS.has(name)
      ? "[redacted]"
      : Array.isArray(value)
        ? value.join(", ")
        : value;
  }
  return out;
}

interface CountWaiter {
  readonly count: number;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/**
 * Bounded request log plus a token request counter. The counter is kept apart from the entries
 * so it stays exact after old entries are dropped or during benchmarks far beyond the cap, and
 * it advances only once a token request is fully parsed, so waiting on it is race-free.
 */
export class RequestLog {
  readonly #limit: number;
  #entries: MutableRequestLogEntry[] = [];
  #tokenRequests = 0;
  #waiters: CountWaiter[] = [];

  constructor(limit: number = DEFAULT_REQUEST_LOG_LIMIT) {
    this.#limit = limit;
  }

  add(entry: MutableRequestLogEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.#limit) {
      // Drop in batches: one splice per 10% overflow instead of a shift per request.
      this.#entries.splice(0, Math.max(1, Math.floor(this.#limit / 10)));
    }
  }

  /** Counts one token request; see `TokenEndpointContext.countTokenRequest` for when. */
  countTokenRequest(): void {
    this.#tokenRequests += 1;
    this.#settleWaiters();
  }

  /** A snapshot of the retained entries, oldest first. */
  entries(): readonly RequestLogEntry[] {
    return [...this.#entries];
  }

  tokenRequestCount(): number {
    return this.#tokenRequests;
  }

  /** Resolves once `count` token requests have arrived since the last reset. */
  waitForTokenRequests(count: number): Promise<void> {
    if (this.#tokenRequests >= count) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#waiters.push({ count, resolve, reject });
    });
  }

  reset(): void {
    this.#entries = [];
    this.#tokenRequests = 0;
  }

  /** Fails pending waits; called when the authority closes so no test waits forever. */
  rejectWaiters(err: Error): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.reject(err);
  }

  #settleWaiters(): void {
    if (this.#waiters.length === 0) return;
    const pending: CountWaiter[] = [];
    for (const w of this.#waiters) {
      if (this.#tokenRequests >= w.count) w.resolve();
      else pending.push(w);
    }
    this.#waiters = pending;
  }
}
