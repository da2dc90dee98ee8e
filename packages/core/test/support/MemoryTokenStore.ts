import type {
  AccessToken,
  TokenCachePartition,
  TokenCachePersistence,
  TokenCacheStore,
  TokenCacheStoreOptions,
} from "../../src/index.js";

/** A persistent store in memory: counts reads and writes and fails on demand. */
export class MemoryTokenStore implements TokenCacheStore {
  readonly tokens = new Map<string, AccessToken>();
  gets = 0;
  sets = 0;
  closes = 0;
  /** When set, `get` rejects with it. */
  getError: Error | undefined;
  /** When set, `set` rejects with it. */
  setError: Error | undefined;

  async get(key: string): Promise<AccessToken | undefined> {
    this.gets++;
    if (this.getError !== undefined) throw this.getError;
    return this.tokens.get(key);
  }

  async set(key: string, token: AccessToken): Promise<void> {
    this.sets++;
    if (this.setError !== undefined) throw this.setError;
    this.tokens.set(key, token);
  }

  async close(): Promise<void> {
    this.closes++;
  }
}

/** A `TokenCachePersistence` handing out one `MemoryTokenStore` per partition. */
export class MemoryPersistence implements TokenCachePersistence {
  readonly opened: TokenCacheStoreOptions[] = [];
  readonly stores: Record<TokenCachePartition, MemoryTokenStore> = {
    cae: new MemoryTokenStore(),
    nocae: new MemoryTokenStore(),
  };

  open(options: TokenCacheStoreOptions): TokenCacheStore {
    this.opened.push(options);
    return this.stores[options.partition];
  }
}
