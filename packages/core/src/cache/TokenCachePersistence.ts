import type { AccessToken } from "../AccessToken.js";

/** Which cache a token belongs to. CAE and non-CAE tokens never share storage. */
export type TokenCachePartition = "cae" | "nocae";

/** What a credential asks a persistence plugin to open. */
export interface TokenCacheStoreOptions {
  /** The cache name from `cachePersistenceOptions.name` (default `"msal.cache"`). */
  name: string;
  partition: TokenCachePartition;
  /** The user's explicit consent to store tokens unencrypted when no key is available. */
  allowUnencryptedStorage: boolean;
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
