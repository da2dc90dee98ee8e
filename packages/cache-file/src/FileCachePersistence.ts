import { join } from "node:path";
import {
  CredentialUnavailableError,
  credentialEvents,
  noopLogger,
  systemClock,
  type Clock,
  type Logger,
  type TokenCachePersistence,
  type TokenCacheStore,
  type TokenCacheStoreOptions,
} from "@credchain/core";
import { CacheFile } from "./CacheFile.js";
import type { CorruptCacheFileError } from "./CorruptCacheFileError.js";
import { createDiagnostics, type FileCacheDiagnostics } from "./FileCacheDiagnostics.js";
import { FileTokenStore } from "./FileTokenStore.js";
import { KeyResolver, type KeyResolution } from "./KeyResolver.js";
import { napiKeyring, type KeyringAdapter } from "./KeyringAdapter.js";
import type { ResolvedFileCacheOptions } from "./resolveOptions.js";
import { secureDirectory, secureFile } from "./secureDirectory.js";

/** What the persistence needs from its surroundings; each is looked up on first use. */
export interface FileCachePersistenceServices {
  logger?: () => Logger | undefined;
  clock?: () => Clock | undefined;
  keyring?: KeyringAdapter;
}

const NAME = /^[A-Za-z0-9._-]+$/;

/** Paths already warned about, so one process says "unencrypted" once per file, not per store. */
const warnedUnencrypted = new Set<string>();

/**
 * The file-backed `TokenCachePersistence`: one `CacheFile` per name and partition in the
 * directory, shared by every store opened on it in this process, so writes from all credentials
 * of the process are batched together.
 */
export class FileCachePersistence implements TokenCachePersistence {
  /** Internal counters for tests and benchmarks. */
  readonly diagnostics: FileCacheDiagnostics = createDiagnostics();
  readonly #options: ResolvedFileCacheOptions;
  readonly #services: FileCachePersistenceServices;
  readonly #keys: KeyResolver;
  readonly #files = new Map<string, Promise<CacheFile>>();
  /** Why a plaintext file has no key, for the consent error and the warning. */
  readonly #reasons = new WeakMap<CacheFile, KeyResolution>();
  #resolvedLogger: Logger | undefined;
  #resolvedClock: Clock | undefined;

  constructor(options: ResolvedFileCacheOptions, services: FileCachePersistenceServices = {}) {
    this.#options = options;
    this.#services = services;
    this.#keys = new KeyResolver({
      source: options.key,
      directory: options.directory,
      lock: options.lock,
      keyring: services.keyring ?? napiKeyring(),
    });
  }

  /** The directory cache files live in (absolute). */
  get directory(): string {
    return this.#options.directory;
  }

  open(options: TokenCacheStoreOptions): TokenCacheStore {
    const { name, partition } = options;
    // The cache-name rule is this backend's (core only checks for a short, non-empty string):
    // it is what keeps a name from ever becoming a path.
    if (typeof name !== "string" || !NAME.test(name) || name === "." || name === "..") {
      throw new TypeError(
        `Token cache name ${JSON.stringify(name)} is not valid: use letters, digits, ".", "_" and "-".`,
      );
    }
    if (partition !== "cae" && partition !== "nocae") {
      throw new TypeError(
        `Token cache partition must be "cae" or "nocae"; got ${String(partition)}.`,
      );
    }
    const allowUnencryptedStorage = options.allowUnencryptedStorage === true;
    return new FileTokenStore(async () => {
      const file = await this.#file(name, partition);
      if (!file.encrypted) this.#checkConsent(name, file, allowUnencryptedStorage);
      return file;
    });
  }

  #file(name: string, partition: "cae" | "nocae"): Promise<CacheFile> {
    const file = join(this.#options.directory, `${name}.${partition}`);
    let opened = this.#files.get(file);
    if (opened === undefined) {
      opened = this.#openFile(name, partition, file);
      this.#files.set(file, opened);
      opened.catch(() => {
        // Retry on the next access rather than remembering a transient failure.
        if (this.#files.get(file) === opened) this.#files.delete(file);
      });
    }
    return opened;
  }

  async #openFile(name: string, partition: "cae" | "nocae", file: string): Promise<CacheFile> {
    await secureDirectory(this.#options.directory);
    const resolution = await this.#keys.resolve(name);
    await secureFile(file);
    const cacheFile = new CacheFile({
      path: file,
      store: `${name}.${partition}`,
      key: resolution.key,
      lock: this.#options.lock,
      now: () => this.#clockNow(),
      diagnostics: this.diagnostics,
      onCorrupt: (error) => this.#reportCorrupt(`${name}.${partition}`, error),
      ensureDirectory: () => secureDirectory(this.#options.directory),
    });
    this.#reasons.set(cacheFile, resolution);
    return cacheFile;
  }

  #checkConsent(name: string, file: CacheFile, allowed: boolean): void {
    const reason = this.#reasons.get(file)?.reason ?? "no encryption key is configured";
    if (!allowed) {
      throw new CredentialUnavailableError(
        `credchain: the persistent token cache "${name}" needs an encryption key and none is available: ${reason}. ` +
          "Either set `encryptionKey` in fileCachePlugin({ ... }) or the CREDCHAIN_CACHE_KEY environment variable " +
          "(base64 of 32 random bytes, e.g. `openssl rand -base64 32`), or set " +
          "`cachePersistenceOptions.allowUnencryptedStorage: true` to store tokens unencrypted.",
      );
    }
    const where = join(this.#options.directory, name);
    if (warnedUnencrypted.has(where)) return;
    warnedUnencrypted.add(where);
    const message =
      `credchain: the persistent token cache "${name}" in ${this.#options.directory} stores access tokens UNENCRYPTED ` +
      `(allowUnencryptedStorage is true and ${reason}). Files are readable by this OS user only (mode 0600). ` +
      "Set `encryptionKey` or CREDCHAIN_CACHE_KEY to encrypt them.";
    this.#logger().warn(message);
    // Also on stderr by default: the default logger discards everything, and this must not be silent.
    process.emitWarning(message, { code: "CREDCHAIN_CACHE_UNENCRYPTED" });
  }

  #reportCorrupt(store: string, error: CorruptCacheFileError): void {
    this.#logger().warn(error.message);
    credentialEvents.emit("cache:error", { store, operation: "read", error });
  }

  #logger(): Logger {
    this.#resolvedLogger ??= this.#services.logger?.() ?? noopLogger;
    return this.#resolvedLogger;
  }

  #clockNow(): number {
    this.#resolvedClock ??= this.#services.clock?.() ?? systemClock;
    return this.#resolvedClock.now();
  }
}
