import { Tokens, type CredchainPlugin } from "@credchain/core";
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
      const persistence = new FileCachePersistence(resolved, {
        // Looked up on first use, so a logger or clock registered after the plugin still counts.
        logger: () =>
          container.isRegistered(Tokens.Logger, true)
            ? container.resolve(Tokens.Logger)
            : undefined,
        // Pruning expired entries is an expiry decision, the same one credentials make with this
        // clock. Lock ages are not: they use the wall clock (see FileLock).
        clock: () =>
          container.isRegistered(Tokens.Clock, true) ? container.resolve(Tokens.Clock) : undefined,
      });
      container.register(Tokens.TokenCachePersistence, { useValue: persistence });
    },
  };
}
