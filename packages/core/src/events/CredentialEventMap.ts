import type { TokenResult } from "../cache/TokenResult.js";

/** Where a token came from. */
export type TokenSource = "memory" | "persistent" | "network";

/**
 * What every token event says about the request. Never a secret, a token or claims content.
 * Payloads are frozen copies: a listener cannot change what is sent or cached.
 */
export interface TokenEventBase {
  /** The credential's static type name, e.g. `"ClientSecretCredential"`. */
  credential: string;
  scopes: readonly string[];
  /** The tenant the request was (or would be) sent to. */
  tenantId: string;
  /** Whether Continuous Access Evaluation was requested. */
  cae: boolean;
}

/** A `getToken` / `getTokenInfo` call started. */
export interface TokenRequestEvent extends TokenEventBase {
  /** Whether the call carried a claims challenge (never its content). */
  claims: boolean;
}

/** A call was answered from a cache: the one event for it (a persistent hit is not also `token:acquired`). */
export interface TokenCacheHitEvent extends TokenEventBase {
  source: "memory" | "persistent";
  /** Whether a background refresh is running for this token. */
  refreshing: boolean;
  /** `hit`, `refresh` (a memory hit while refreshing) or `persistent-hit`. */
  result: Extract<TokenResult, "hit" | "refresh" | "persistent-hit">;
  /** With `persistent`: how long the store took. A memory hit reports none. */
  durationInMs?: number;
}

/** A call got a token from the network. */
export interface TokenAcquiredEvent extends TokenEventBase {
  /** Always `"network"` since v2 (a persistent hit is a `token:cache-hit`); kept for v1 listeners. */
  source: "network" | "persistent";
  result: Extract<TokenResult, "miss">;
  durationInMs: number;
  expiresOnTimestamp: number;
}

/** A background refresh started, succeeded or failed. */
export interface TokenRefreshEvent extends TokenEventBase {
  outcome: "started" | "succeeded" | "failed";
  /** With `failed`: the error. The still-valid token keeps being served. */
  error?: unknown;
  /** With `failed`: the earliest time (ms) the next refresh may start. */
  nextAttemptTimestamp?: number;
}

/** A call failed. */
export interface TokenErrorEvent extends TokenEventBase {
  result: Extract<TokenResult, "error">;
  durationInMs: number;
  error: unknown;
}

/** One HTTP attempt is about to be sent. `url` never carries a query string. */
export interface HttpRequestEvent {
  method: string;
  url: string;
  /** 0 for the first attempt, then the retry number. */
  attempt: number;
}

/** One HTTP attempt ended, with a status or with an error. */
export interface HttpResponseEvent extends HttpRequestEvent {
  status?: number;
  error?: unknown;
  durationInMs: number;
}

/** A credential was closed. */
export interface CredentialCloseEvent {
  credential: string;
}

/** A persistent cache could not be read or written; the credential carried on without it. */
export interface CacheErrorEvent {
  /** The cache name and partition, e.g. `"msal.cache.nocae"`. */
  store: string;
  operation: "read" | "write";
  error: unknown;
}

/**
 * A credential that picks one of several (a default chain) chose the link that answers from now
 * on, e.g. `{ credential: "DefaultAzureCredential", selected: "ManagedIdentityCredential" }`.
 */
export interface CredentialSelectEvent {
  /** The selecting credential's type name. */
  credential: string;
  /** The chosen link's type name. */
  selected: string;
  /** The link's position in the chain, from 0. */
  index: number;
  /** The links tried before it and why they were skipped, one line each. Never a secret. */
  skipped: readonly string[];
}

/**
 * A token request went to the global authority because the regional (ESTS-R) one could not be
 * reached or answered 5xx. Later requests try the regional host again.
 */
export interface RegionalFallbackEvent {
  credential: string;
  tenantId: string;
  region: string;
  /** E.g. `https://westus2.login.microsoft.com`. */
  regionalAuthority: string;
  /** The global authority used instead. */
  authority: string;
  /** The regional host's 5xx status; undefined for a network failure. */
  statusCode?: number;
  error: unknown;
}

/** Every lifecycle event and its payload. */
export interface CredentialEventMap {
  "token:request": [TokenRequestEvent];
  "token:cache-hit": [TokenCacheHitEvent];
  "token:acquired": [TokenAcquiredEvent];
  "token:refresh": [TokenRefreshEvent];
  "token:error": [TokenErrorEvent];
  "http:request": [HttpRequestEvent];
  "http:response": [HttpResponseEvent];
  "credential:close": [CredentialCloseEvent];
  "cache:error": [CacheErrorEvent];
  "credential:select": [CredentialSelectEvent];
  "token:regional-fallback": [RegionalFallbackEvent];
}

/** The name of a lifecycle event. */
export type CredentialEventName = keyof CredentialEventMap;

/**
 * Every event name, e.g. to forward all of them to a log. `satisfies` plus the check below keep
 * it in step with `CredentialEventMap`: adding an event without listing it fails to compile.
 */
export const credentialEventNames = [
  "token:request",
  "token:cache-hit",
  "token:acquired",
  "token:refresh",
  "token:error",
  "http:request",
  "http:response",
  "credential:close",
  "cache:error",
  "credential:select",
  "token:regional-fallback",
] as const satisfies readonly CredentialEventName[];

type Unlisted = Exclude<CredentialEventName, (typeof credentialEventNames)[number]>;
// If this line fails to compile, an event is missing from `credentialEventNames`.
const everyEventListed: Unlisted extends never ? true : never = true;
void everyEventListed;
