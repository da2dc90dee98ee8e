import type { DependencyContainer } from "tsyringe";
import type { TokenCacheStore } from "../cache/TokenCachePersistence.js";
import type { Clock } from "../Clock.js";
import { CredentialUnavailableError } from "../errors/CredentialUnavailableError.js";
import type { Logger } from "../Logger.js";
import { Tokens } from "../Tokens.js";
import type { CredentialReporter } from "./CredentialReporter.js";
import type { ResolvedCredentialOptions } from "./resolveCredentialOptions.js";
import { resolveOptional } from "./resolveCredentialServices.js";

/** A credential's two persistent stores: CAE and non-CAE tokens never share storage. */
export interface PersistentStores {
  readonly nocae: TokenCacheStore;
  readonly cae: TokenCacheStore;
}

/**
 * Opens the persistent stores `cachePersistenceOptions` asks for, through the registered
 * persistence plugin, handing each its own reporter and the credential's logger and clock (not
 * those of the container the plugin was registered in). `undefined` without persistence.
 */
export function openPersistentStores(
  credentialName: string,
  container: DependencyContainer | undefined,
  options: ResolvedCredentialOptions,
  services: { logger: Logger; clock: Clock; reporter: CredentialReporter },
): PersistentStores | undefined {
  const persistence = options.cachePersistence;
  if (persistence === undefined) return undefined;
  const plugin = resolveOptional(container, Tokens.TokenCachePersistence);
  if (plugin === undefined) {
    throw new CredentialUnavailableError(
      `${credentialName}: cachePersistenceOptions needs a persistence plugin. Install ` +
        "@credchain/cache-file and call usePlugin(fileCachePlugin()) before creating the credential, " +
        "or omit cachePersistenceOptions to cache in memory.",
    );
  }
  const open = (partition: "cae" | "nocae"): TokenCacheStore =>
    plugin.open({
      name: persistence.name,
      partition,
      allowUnencryptedStorage: persistence.allowUnencryptedStorage,
      logger: services.logger,
      clock: services.clock,
      report: services.reporter.storeReporter(`${persistence.name}.${partition}`),
    });
  return { nocae: open("nocae"), cae: open("cae") };
}
