import type {
  AccessToken,
  TokenCachePersistence,
  TokenCacheStore,
  TokenCacheStoreOptions,
} from "@credchain/core";

/** A persistence tier in a Map: what a file or Redis plugin does, minus the I/O. */
export class MemoryPersistence implements TokenCachePersistence {
  readonly #stores = new Map<string, Map<string, AccessToken>>();

  open(options: TokenCacheStoreOptions): TokenCacheStore {
    const id = `${options.name}.${options.partition}`;
    let entries = this.#stores.get(id);
    if (entries === undefined) {
      entries = new Map();
      this.#stores.set(id, entries);
    }
    const store = entries;
    return {
      get: async (key) => store.get(key),
      set: async (key, token) => {
        store.set(key, token);
      },
    };
  }
}
