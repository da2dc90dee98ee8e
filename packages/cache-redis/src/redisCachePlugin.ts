import { Tokens, type CredchainPlugin } from "@credchain/core";
import { registeredServices } from "@credchain/core/plugin";
import { RedisCachePersistence } from "./RedisCachePersistence.js";
import type { RedisCacheOptions } from "./RedisCacheOptions.js";
import { resolveOptions } from "./resolveOptions.js";

/** The plugin's name; a second `usePlugin` of it is ignored by core. */
export const REDIS_CACHE_PLUGIN_NAME = "@credchain/cache-redis";

/**
 * A token cache in Redis shared by every replica of a service: memory first (a hit never touches
 * Redis), Redis on a memory miss, the network last, with one token request per cold key across
 * all replicas (a short lease; the others wait for its token) and a 429 seen by one replica
 * shared with the rest. Entries are AES-256-GCM encrypted and bound to their cache key; key names
 * are hashed. Redis down or slow never fails or stalls `getToken`.
 *
 * ```ts
 * usePlugin(redisCachePlugin({ url: "redis://cache:6379" })); // key from CREDCHAIN_CACHE_KEY
 * const credential = new ClientSecretCredential(tenantId, clientId, secret, {
 *   cachePersistenceOptions: { name: "my-service" },
 * });
 * ```
 *
 * Options are checked here, at once (`TypeError` / `RangeError`). The plugin's own connection
 * opens in the background when the first credential with `cachePersistenceOptions` is created,
 * and closes with the last one.
 */
export function redisCachePlugin(options?: RedisCacheOptions): CredchainPlugin {
  const resolved = resolveOptions(options);
  return {
    name: REDIS_CACHE_PLUGIN_NAME,
    register(container): void {
      // Each store gets the opening credential's logger and clock; the container's are the
      // fallback for a store opened without them.
      const persistence = new RedisCachePersistence(resolved, registeredServices(container));
      container.register(Tokens.TokenCachePersistence, { useValue: persistence });
    },
  };
}
