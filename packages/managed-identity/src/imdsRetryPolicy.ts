import type { RetryOptions, RetryPolicy } from "@credchain/core";

/** IMDS is being upgraded: Azure documents retrying for up to 70 s, so 7 waits of 10 s. */
const GONE_RETRIES = 7;
const GONE_DELAY_IN_MS = 10_000;

/** 404 and 410 while IMDS warms up or upgrades, timeouts, throttling and any server fault. */
function retriable(status: number | undefined): boolean {
  return (
    status === undefined ||
    status === 404 ||
    status === 408 ||
    status === 410 ||
    status === 429 ||
    (status >= 500 && status <= 599)
  );
}

/**
 * IMDS's documented retry rules ("Retry guidance" in the Azure managed identity docs): retry 404,
 * 408, 410, 429 and 5xx (and network errors once IMDS has answered), with exponential back-off
 * from 1 s; a 410 (upgrade in progress) every 10 s for up to 70 s. `Retry-After` still wins and
 * `requestTimeoutInMs` still bounds the whole acquisition. `retryOptions.maxRetries` (default 3)
 * and `retryDelayInMs` (default 1000) tune the exponential part; `maxRetries: 0` disables all.
 */
export function imdsRetryPolicy(options: RetryOptions = {}): RetryPolicy {
  const maxRetries = options.maxRetries ?? 3;
  const delay = options.retryDelayInMs ?? 1_000;
  return {
    shouldRetry: ({ attempt, status }) => {
      if (!retriable(status)) return false;
      if (status === 410) return maxRetries > 0 && attempt < Math.max(maxRetries, GONE_RETRIES);
      return attempt < maxRetries;
    },
    delayInMs: ({ attempt, status }) =>
      status === 410 ? GONE_DELAY_IN_MS : delay * 2 ** Math.min(attempt, 16),
  };
}
