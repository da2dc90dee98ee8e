import type { AccessToken } from "../AccessToken.js";
import type { Clock } from "../Clock.js";
import type { Logger } from "../Logger.js";

/** Which cache a token belongs to. CAE and non-CAE tokens never share storage. */
export type TokenCachePartition = "cae" | "nocae";

/** What a credential asks a persistence plugin to open. */
export interface TokenCacheStoreOptions {
  /**
   * The cache name from `cachePersistenceOptions.name` (default `"msal.cache"`). Core checks only
   * that it is a non-empty string of at most 255 characters; which names are allowed (e.g. as a
   * file name) is the backend's rule, checked in `open`.
   */
  name: string;
  partition: TokenCachePartition;
  /** The user's explicit consent to store tokens unencrypted when no key is available. */
  allowUnencryptedStorage: boolean;
  /** The opening credential's logger (already guarded: it never throws). */
  logger?: Logger;
  /** The opening credential's clock: what the store's time decisions (locks, deadlines) read. */
  clock?: Clock;
  /**
   * Reports a failure the store handled itself (e.g. a corrupt file it replaced, a background
   * flush that failed) through the credential's events and logger, as `cache:error`.
   */
  report?(error: unknown, operation: "read" | "write" | "close"): void;
}

/**
 * One opened persistent cache. Async and keyed by the engine's canonical cache key; it stores only
 * the token and its timestamps, so a file, Redis or a database can back it. Errors other than
 * `CredentialUnavailableError` are reported and the credential carries on from memory and network.
 */
export interface TokenCacheStore {
  get(key: string): Promise<AccessToken | undefined>;
  set(key: string, token: AccessToken): Promise<void>;
  delete?(key: string): Promise<void>;
  close?(): Promise<void>;
}

/** The persistence tier, registered under `Tokens.TokenCachePersistence` by a plugin. */
export interface TokenCachePersistence {
  /** Opens a store lazily: expensive work (keys, files, connections) waits for the first `get`/`set`. */
  open(options: TokenCacheStoreOptions): TokenCacheStore;
}
