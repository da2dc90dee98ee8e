import { hasErrorName } from "../errors/hasErrorName.js";
import { abortReason } from "../http/abortable.js";
import type {
  TokenCacheStore,
  TokenCoordination,
  TokenCoordinationOutcome,
} from "./TokenCachePersistence.js";

/**
 * Asks the store whether another process is already fetching `key` (cross-process single
 * flight). A shared throttle (a `ClientAuthenticationError` with status 429) and this caller's
 * abort are the answer; any other failure is reported and the network answers as without it.
 */
export async function coordinateMiss(
  store: TokenCacheStore,
  key: string,
  signal: AbortSignal,
  onError: (error: unknown) => void,
): Promise<TokenCoordination | undefined> {
  if (store.coordinate === undefined) return undefined;
  try {
    return await store.coordinate(key, signal);
  } catch (error) {
    if (signal.aborted) throw abortReason(signal);
    if (hasErrorName(error, "ClientAuthenticationError")) {
      if ((error as { statusCode?: unknown }).statusCode === 429) throw error;
    }
    onError(error);
    return undefined;
  }
}

/**
 * Tells the store how this process's own acquisition ended, so it can release its lease, wake
 * the processes waiting on it and share a throttle. Never throws: the token in hand is the answer.
 */
export function settleCoordination(
  coordination: TokenCoordination | undefined,
  outcome: TokenCoordinationOutcome,
  onError: (error: unknown) => void,
): void {
  if (coordination?.settle === undefined) return;
  try {
    coordination.settle(outcome);
  } catch (error) {
    onError(error);
  }
}

/** What a failed acquisition tells the store: the error, and the server's `Retry-After` if known. */
export function failureOutcome(error: unknown): TokenCoordinationOutcome {
  const retryAfterInMs = (error as { retryAfterInMs?: unknown } | undefined)?.retryAfterInMs;
  return typeof retryAfterInMs === "number" &&
    Number.isFinite(retryAfterInMs) &&
    retryAfterInMs >= 0
    ? { error, retryAfterInMs }
    : { error };
}
