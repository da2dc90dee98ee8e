import { Tokens, type CredchainPlugin } from "@credchain/core";
import { registeredServices } from "@credchain/core/plugin";
import { FileCachePersistence } from "./FileCachePersistence.js";
import type { FileCacheOptions } from "./FileCacheOptions.js";
import { resolveOptions } from "./resolveOptions.js";

/** The plugin's name; a second `usePlugin` of it is ignored by core. */
export const FILE_CACHE_PLUGIN_NAME = "@credchain/cache-file";

/**
 * A persistent token cache in files: encrypted at rest (AES-256-GCM), one file per cache name and
 * partition, owner-only permissions, safe across processes (lock file, atomic replace, merge on
 * write). Register it, then give credentials `cachePersistenceOptions`:
 *
 * ```ts
 * usePlugin(fileCachePlugin());
 * const credential = new ClientSecretCredential(tenantId, clientId, secret, {
 *   cachePersistenceOptions: { name: "my-service" },
 * });
 * ```
 *
 * Options are checked here, at once: a malformed key or lock setting throws `TypeError` or
 * `RangeError`. Nothing touches the disk or the keyring until a credential first reads its cache.
 */
export function fileCachePlugin(options?: FileCacheOptions): CredchainPlugin {
  const resolved = resolveOptions(options);
  return {
    name: FILE_CACHE_PLUGIN_NAME,
    register(container): void {
      // Each store gets the opening credential's logger and clock; the container's are the
      // fallback for a store opened without them.
      const persistence = new FileCachePersistence(resolved, registeredServices(container));
      container.register(Tokens.TokenCachePersistence, { useValue: persistence });
    },
  };
}
