import { readdir } from "node:fs/promises";
import { join } from "node:path";
import {
  CredentialUnavailableError,
  credentialEvents,
  noopLogger,
  type Clock,
  type Logger,
  type TokenCachePersistence,
  type TokenCacheStore,
  type TokenCacheStoreOptions,
} from "@credchain/core";
import { PersistenceServices, type PersistenceServicesFallback } from "@credchain/core/plugin";
import { CacheFile } from "./CacheFile.js";
import { cacheFileName, keyIdsInDirectory, PLAINTEXT_KEY_ID } from "./cacheFileName.js";
import type { CorruptCacheFileError } from "./CorruptCacheFileError.js";
import { createDiagnostics, type FileCacheDiagnostics } from "./FileCacheDiagnostics.js";
import { FileTokenStore } from "./FileTokenStore.js";
import { KeyResolver, type KeyResolution } from "./KeyResolver.js";
import { keyIdOf } from "./keyId.js";
import { napiKeyring, type KeyringAdapter } from "./KeyringAdapter.js";
import type { ResolvedFileCacheOptions } from "./resolveOptions.js";
import { secureDirectory, secureFile } from "./secureDirectory.js";

/**
 * What the persistence needs from its surroundings; each is looked up on first use, and only when
 * no opened store brought its own (`TokenCacheStoreOptions.logger` / `clock`).
 */
export interface FileCachePersistenceServices extends PersistenceServicesFallback {
  keyring?: KeyringAdapter;
}

const NAME = /^[A-Za-z0-9._-]+$/;

/** Paths already warned about, so one process says "unencrypted" once per file, not per store. */
const warnedUnencrypted = new Set<string>();
/** Stores already reported to have other keys' files beside them, once per process. */
const reportedOtherKeys = new Set<string>();

/**
 * The file-backed `TokenCachePersistence`: one `CacheFile` per name, key and partition in the
 * directory (see `cacheFileName.ts`), shared by every store opened on it in this process, so
 * writes from all credentials of the process are batched together. Processes with different keys
 * use different files and never read, replace or delete each other's.
 */
export class FileCachePersistence implements TokenCachePersistence {
  /** Internal counters for tests and benchmarks. */
  readonly diagnostics: FileCacheDiagnostics = createDiagnostics();
  readonly #options: ResolvedFileCacheOptions;
  readonly #keys: KeyResolver;
  readonly #files = new Map<string, Promise<CacheFile>>();
  /** Why a plaintext file has no key, for the consent error and the warning. */
  readonly #reasons = new WeakMap<CacheFile, KeyResolution>();
  /** The first opening credential's logger and clock: files and keys are shared by every store. */
  readonly #shared: PersistenceServices;

  constructor(options: ResolvedFileCacheOptions, services: FileCachePersistenceServices = {}) {
    this.#options = options;
    this.#shared = new PersistenceServices(services);
    this.#keys = new KeyResolver({
      source: options.key,
      directory: options.directory,
      lock: options.lock,
      keyring: services.keyring ?? napiKeyring(),
      clock: () => this.#clock(),
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
    this.#shared.adopt(options);
    const logger = options.logger;
    return new FileTokenStore(async () => {
      const file = await this.#file(name, partition);
      if (!file.encrypted) {
        // The consent is this store's, so is the warning: its own credential's logger says it.
        this.#checkConsent(name, file, allowUnencryptedStorage, logger ?? this.#logger());
      }
      return file;
    });
  }

  #file(name: string, partition: "cae" | "nocae"): Promise<CacheFile> {
    // One key per name for the life of the persistence, so one file per name and partition.
    const store = `${name}.${partition}`;
    let opened = this.#files.get(store);
    if (opened === undefined) {
      opened = this.#openFile(name, partition);
      this.#files.set(store, opened);
      opened.catch(() => {
        // Retry on the next access rather than remembering a transient failure.
        if (this.#files.get(store) === opened) this.#files.delete(store);
      });
    }
    return opened;
  }

  async #openFile(name: string, partition: "cae" | "nocae"): Promise<CacheFile> {
    await secureDirectory(this.#options.directory);
    const resolution = await this.#keys.resolve(name);
    const file = join(this.#options.directory, cacheFileName(name, partition, resolution.key));
    await this.#reportOtherKeys(name, partition, resolution);
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

  #checkConsent(name: string, file: CacheFile, allowed: boolean, logger: Logger): void {
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
    logger.warn(message);
    // With no logger registered (the default discards everything) it goes to stderr as a process
    // warning, as it must not be silent. A registered logger is where the application wants it.
    if (logger === noopLogger)
      process.emitWarning(message, { code: "CREDCHAIN_CACHE_UNENCRYPTED" });
  }

  /**
   * Files of the same cache written with other keys (another deployment, a rotated key, a process
   * without a key) are left alone: this process cannot decrypt them and must not replace them.
   * Said once per store and process, since a fleet that means to share tokens needs one key.
   */
  async #reportOtherKeys(
    name: string,
    partition: "cae" | "nocae",
    resolution: KeyResolution,
  ): Promise<void> {
    const directory = this.#options.directory;
    const where = join(directory, `${name}.${partition}`);
    if (reportedOtherKeys.has(where)) return;
    const own = resolution.key === undefined ? PLAINTEXT_KEY_ID : keyIdOf(resolution.key);
    const names = await readdir(directory).catch(() => [] as string[]);
    const others = keyIdsInDirectory(names, name, partition).filter((id) => id !== own);
    if (others.length === 0) return;
    reportedOtherKeys.add(where);
    this.#logger().warn(
      `credchain: the token cache "${name}" (${partition}) in ${directory} also has ${others.length} ` +
        `file(s) written with a different encryption key or none (key ids: ${others.slice(0, 5).join(", ")}${others.length > 5 ? ", …" : ""}; this process: ${own}). ` +
        "They are left alone and this process keeps its own file. Processes that should share tokens need the same key; " +
        "files of a retired key can be deleted.",
    );
  }

  #reportCorrupt(store: string, error: CorruptCacheFileError): void {
    this.#logger().warn(error.message);
    credentialEvents.emit("cache:error", { store, operation: "read", error });
  }

  #logger(): Logger {
    return this.#shared.logger();
  }

  #clockNow(): number {
    return this.#clock().now();
  }

  /**
   * Pruning expired entries is an expiry decision, the same one credentials make with this clock.
   * Lock ages are not: they use the wall clock (see FileLock).
   */
  #clock(): Clock {
    return this.#shared.clock();
  }
}
