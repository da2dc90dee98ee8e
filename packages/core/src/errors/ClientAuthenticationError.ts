/** What the token endpoint said, as far as it said it. Every field is optional. */
export interface ClientAuthenticationErrorDetails {
  /** The HTTP status of the token endpoint's answer. */
  statusCode?: number;
  /** The OAuth `error` code, e.g. `"invalid_client"`. */
  errorCode?: string;
  /** The AADSTS numbers, e.g. `[7000215]`. */
  errorCodes?: number[];
  /** The server's `correlation_id`. */
  correlationId?: string;
  /** The server's `trace_id`. */
  traceId?: string;
  /**
   * How long the server asked callers to wait before trying again, in ms: its `Retry-After`
   * (seconds or an HTTP-date, measured against the credential's clock), `retry-after-ms` or
   * `x-ms-retry-after-ms`, from the final answer once retries are exhausted.
   */
  retryAfterInMs?: number;
  /** The underlying error or raw response, when there is one. */
  cause?: unknown;
}

/**
 * Authentication was attempted and failed. A chain stops on this error and rethrows it.
 * Carries the server's codes so callers can branch without parsing the message.
 */
export class ClientAuthenticationError extends Error {
  override readonly name = "ClientAuthenticationError";
  readonly statusCode?: number;
  readonly errorCode?: string;
  readonly errorCodes?: number[];
  readonly correlationId?: string;
  readonly traceId?: string;
  /**
   * How long the token endpoint asked callers to wait before trying again, in ms, when it said
   * (`Retry-After` on a 429 or 503, say). A shared cache such as `@credchain/cache-redis` backs
   * every replica off for this long.
   */
  readonly retryAfterInMs?: number;

  constructor(message: string, details: ClientAuthenticationErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    if (details.statusCode !== undefined) this.statusCode = details.statusCode;
    if (details.errorCode !== undefined) this.errorCode = details.errorCode;
    if (details.errorCodes !== undefined) this.errorCodes = details.errorCodes;
    if (details.correlationId !== undefined) this.correlationId = details.correlationId;
    if (details.traceId !== undefined) this.traceId = details.traceId;
    if (details.retryAfterInMs !== undefined) this.retryAfterInMs = details.retryAfterInMs;
  }
}
