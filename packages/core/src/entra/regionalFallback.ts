import { hasErrorName } from "../errors/hasErrorName.js";
import type { RetryContext, RetryPolicy } from "../http/HttpPipeline.js";

/** Why a request left the regional host for the global one. */
export interface RegionalFallback {
  /** The regional authority that failed, e.g. `https://westus2.login.microsoft.com`. */
  readonly regionalAuthority: string;
  /** The global authority the request went to instead. */
  readonly authority: string;
  /** The regional host's status (a 5xx), or undefined for a network failure. */
  readonly statusCode: number | undefined;
  readonly error: unknown;
}

/**
 * Whether the regional host failed in a way the global one may not: it could not be reached, or
 * answered 5xx. A 4xx is Entra's answer about the client (bad secret, unknown scope) and would be
 * the same globally; an abort or a timeout is the caller's.
 */
export function shouldFallBack(error: unknown): boolean {
  if (!hasErrorName(error, "ClientAuthenticationError")) return false;
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === "number") return status >= 500;
  // No status: the pipeline never got an answer (network, TLS). An unparseable answer has one.
  return (error as { errorCode?: unknown }).errorCode === undefined;
}

/**
 * The retry rules of the one request to the regional host: a network failure (an attempt timeout
 * included) or a 5xx is not retried there, since the global host is the retry (`shouldFallBack`).
 * Throttling (429) and 408 are no reason to fall back: retried as the pipeline would, up to
 * `maxRetries` (the credential's `retryOptions.maxRetries`), with its back-off and `Retry-After`.
 */
export function regionalRetryPolicy(maxRetries: number): RetryPolicy {
  return {
    shouldRetry: ({ attempt, status }: RetryContext) =>
      (status === 408 || status === 429) && attempt < maxRetries,
  };
}

/**
 * Sends to the regional authority first, and once more to the global one when the regional host
 * cannot be reached or answers 5xx (reported through `onFallback`). Without a regional authority,
 * only the global one. `send` is expected to try the regional host once for those failures
 * ({@link regionalRetryPolicy}), so the fallback happens at once.
 */
export async function withRegionalFallback<T>(
  regionalAuthority: string | undefined,
  authority: string,
  send: (authorityHost: string) => Promise<T>,
  onFallback: (fallback: RegionalFallback) => void,
): Promise<T> {
  if (regionalAuthority === undefined) return send(authority);
  try {
    return await send(regionalAuthority);
  } catch (error) {
    if (!shouldFallBack(error)) throw error;
    const status = (error as { statusCode?: unknown }).statusCode;
    onFallback({
      regionalAuthority,
      authority,
      statusCode: typeof status === "number" ? status : undefined,
      error,
    });
    return send(authority);
  }
}
