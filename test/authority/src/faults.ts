/**
 * Restricts a fault to matching token requests. Every field that is set must match; a fault
 * with no filter fields applies to every token request.
 */
export interface FaultFilter {
  /** Tenant id as it appears in the request path. */
  readonly tenant?: string;
  /** `client_id` of the request. */
  readonly clientId?: string;
  /** A requested scope (`https://x/.default`) or its resource (`https://x`). */
  readonly scope?: string;
}

/** Shared by every fault: the filter, and an optional delay before the fault takes effect. */
export interface FaultBase extends FaultFilter {
  /** Wait this long before responding (or resetting, or hanging). */
  readonly delayMs?: number;
}

/** Answers normally, but only after `ms` milliseconds. */
export interface LatencyFault extends FaultBase {
  readonly kind: "latency";
  readonly ms: number;
}

/**
 * Answers with an HTTP error status. Without `body`, the body is the AADSTS-shaped JSON Entra
 * sends for that status (429 `temporarily_unavailable`, 500 `server_error` with code 50000, …).
 */
export interface StatusFault extends FaultBase {
  readonly kind: "status";
  readonly status: number;
  /** Sent verbatim as `Retry-After`: delta seconds (`"5"`, `5`) or an HTTP-date. */
  readonly retryAfter?: string | number;
  /** Raw body to send instead of the AADSTS JSON. */
  readonly body?: string;
  /** Content type for `body`; defaults to JSON when `body` parses as JSON, else plain text. */
  readonly contentType?: string;
  /** Overrides the OAuth `error` of the default body. */
  readonly error?: string;
  /** Overrides the AADSTS code of the default body. */
  readonly errorCode?: number;
  /** Overrides the message (without `AADSTSnnnn: `) of the default body. */
  readonly message?: string;
}

/** Destroys the connection without any response, as a TCP reset where the platform allows. */
export interface ResetFault extends FaultBase {
  readonly kind: "reset";
}

/** `200` with `application/json` content type and a truncated, unparseable JSON body. */
export interface MalformedJsonFault extends FaultBase {
  readonly kind: "malformed-json";
}

/** An HTML error page, as a reverse proxy or gateway in front of the service would send. */
export interface HtmlFault extends FaultBase {
  readonly kind: "html";
  /** Defaults to 502. */
  readonly status?: number;
}

/** `200` with a JSON token response padded to exactly `bytes` bytes (via a huge access token). */
export interface OversizedFault extends FaultBase {
  readonly kind: "oversized";
  readonly bytes: number;
}

/** Never responds; the request stays open until the client gives up or the authority closes. */
export interface HangFault extends FaultBase {
  readonly kind: "hang";
}

/** `200` with a well-formed token response that lacks `access_token`. */
export interface NoTokenFault extends FaultBase {
  readonly kind: "no-token";
}

/**
 * Not a failure: shapes a successful token response. Client and scope validation still apply.
 * Useful with `enqueueFaults` to make one response short-lived or carry `refresh_in`.
 */
export interface TokenResponseFault extends FaultBase {
  readonly kind: "token";
  readonly lifetimeInSeconds?: number;
  readonly refreshInSeconds?: number;
  readonly expiresAs?: ExpiresAs;
}

/**
 * How a successful response states the token lifetime:
 * - `"number"`: `expires_in` and `ext_expires_in` as JSON numbers (Entra's behaviour).
 * - `"string"`: the same fields as numeric strings (`"3599"`), as some token services send.
 * - `"expires_on"`: only `expires_on`, the expiry as a string of epoch seconds.
 */
export type ExpiresAs = "number" | "string" | "expires_on";

/** A programmable misbehaviour of the token endpoint. */
export type Fault =
  | LatencyFault
  | StatusFault
  | ResetFault
  | MalformedJsonFault
  | HtmlFault
  | OversizedFault
  | HangFault
  | NoTokenFault
  | TokenResponseFault;

/** The `kind` of a {@link Fault}. */
export type FaultKind = Fault["kind"];

/** What a token request looks like to fault filters. */
export interface FaultTarget {
  readonly tenant: string;
  readonly clientId: string | undefined;
  readonly scopes: readonly string[];
}

const FAULT_KINDS: ReadonlySet<string> = new Set<FaultKind>([
  "latency",
  "status",
  "reset",
  "malformed-json",
  "html",
  "oversized",
  "hang",
  "no-token",
  "token",
]);

function assertNonNegativeInteger(value: unknown, what: string): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= 0)) {
    throw new TypeError(`${what} must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
}

function assertStatus(value: unknown, what: string): void {
  if (!(Number.isInteger(value) && (value as number) >= 200 && (value as number) <= 599)) {
    throw new TypeError(
      `${what} must be an HTTP status from 200 to 599, got ${JSON.stringify(value)}`,
    );
  }
}

/**
 * Faults usually come from test code, sometimes plain JavaScript; a typo should fail at the
 * `setFaults` call, not as a baffling response later.
 */
export function validateFault(fault: Fault): void {
  if (typeof fault !== "object" || fault === null || !FAULT_KINDS.has(fault.kind)) {
    throw new TypeError(`Unknown fault: ${JSON.stringify(fault)}`);
  }
  assertNonNegativeInteger(fault.delayMs, "fault.delayMs");
  switch (fault.kind) {
    case "latency":
      assertNonNegativeInteger(fault.ms, "latency fault ms");
      if (fault.ms === undefined) throw new TypeError("latency fault needs ms");
      break;
    case "status":
      assertStatus(fault.status, "status fault status");
      break;
    case "html":
      if (fault.status !== undefined) assertStatus(fault.status, "html fault status");
      break;
    case "oversized":
      assertNonNegativeInteger(fault.bytes, "oversized fault bytes");
      if (fault.bytes === undefined) throw new TypeError("oversized fault needs bytes");
      break;
    case "token":
      assertNonNegativeInteger(fault.lifetimeInSeconds, "token fault lifetimeInSeconds");
      assertNonNegativeInteger(fault.refreshInSeconds, "token fault refreshInSeconds");
      break;
    default:
      break;
  }
}

function resourceOf(scope: string): string {
  return scope.endsWith("/.default") ? scope.slice(0, -"/.default".length) : scope;
}

/** Whether `fault`'s filter selects the request `target`. */
export function faultMatches(fault: FaultFilter, target: FaultTarget): boolean {
  if (fault.tenant !== undefined && fault.tenant !== target.tenant) return false;
  if (fault.clientId !== undefined && fault.clientId !== target.clientId) return false;
  if (fault.scope !== undefined) {
    const wanted = fault.scope;
    if (!target.scopes.some((s) => s === wanted || resourceOf(s) === wanted)) return false;
  }
  return true;
}

/** The outcome of consulting the fault plan for one token request. */
export type FaultDecision = { readonly kind: "outage" } | Fault | undefined;

/**
 * Holds the fault plan: an outage switch, a FIFO queue consumed one fault per matching token
 * request, and a persistent list. Precedence: outage, then the queue, then persistent faults,
 * so a test can layer a one-off failure over a steady background condition.
 */
export class FaultPlan {
  #persistent: Fault[] = [];
  #queue: Fault[] = [];
  #outage = false;

  constructor(initial: readonly Fault[] = []) {
    this.set(initial);
  }

  /** Replaces the persistent faults; the first one matching a request applies, every time. */
  set(faults: readonly Fault[]): void {
    faults.forEach(validateFault);
    this.#persistent = [...faults];
  }

  /** Appends to the queue; each token request consumes the first queued fault that matches it. */
  enqueue(faults: readonly Fault[]): void {
    faults.forEach(validateFault);
    this.#queue.push(...faults);
  }

  /** Removes persistent and queued faults and ends an outage. */
  clear(): void {
    this.#persistent = [];
    this.#queue = [];
    this.#outage = false;
  }

  setOutage(on: boolean): void {
    this.#outage = on;
  }

  get outage(): boolean {
    return this.#outage;
  }

  get queuedCount(): number {
    return this.#queue.length;
  }

  /** Decides, and consumes from the queue, the fault for one token request. */
  take(target: FaultTarget): FaultDecision {
    if (this.#outage) return { kind: "outage" };
    const queued = this.#queue.findIndex((f) => faultMatches(f, target));
    if (queued !== -1) return this.#queue.splice(queued, 1)[0];
    return this.#persistent.find((f) => faultMatches(f, target));
  }
}
