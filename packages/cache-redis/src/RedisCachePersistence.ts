import {
  CredentialUnavailableError,
  credentialEvents,
  type TokenCachePersistence,
  type TokenCacheStore,
  type TokenCacheStoreOptions,
} from "@credchain/core";
import {
  noopLogger,
  PersistenceServices,
  type Clock,
  type Logger,
  type PersistenceServicesFallback,
} from "@credchain/core/plugin";
import { RedisCacheError } from "./RedisCacheError.js";
import { RedisConnection } from "./RedisConnection.js";
import { RedisKeyMaterial } from "./RedisKeyMaterial.js";
import { RedisTokenStore } from "./RedisTokenStore.js";
import type { ResolvedRedisCacheOptions } from "./resolveOptions.js";

/**
 * What the persistence needs from its surroundings; each is looked up on first use, and only when
 * no opened store brought its own (`TokenCacheStoreOptions.logger` / `clock`).
 */
export type RedisCachePersistenceServices = PersistenceServicesFallback;

/** Reports a failure a store handled itself, through the credential that opened the store. */
export type StoreReporter = (error: unknown, operation: "read" | "write") => void;

/** How long the "which key wrote here" marker lives: a rotated key stops being reported after it. */
const KEY_MARKER_TTL_IN_MS = 86_400_000;

/** Prefixes already warned about, so a process says "unencrypted" once, not per store. */
const warnedUnencrypted = new Set<string>();

/**
 * The Redis-backed `TokenCachePersistence`: one connection (and one circuit breaker) shared by
 * every store opened on it in this process.
 */
export class RedisCachePersistence implements TokenCachePersistence {
  readonly #options: ResolvedRedisCacheOptions;
  readonly connection: RedisConnection;
  #keys: Promise<RedisKeyMaterial> | undefined;
  #checkedKeyMarker = false;
  #reported = new Set<string>();
  /** The first opening credential's logger and clock: the connection and breaker are shared. */
  readonly #shared: PersistenceServices;

  constructor(options: ResolvedRedisCacheOptions, services: RedisCachePersistenceServices = {}) {
    this.#options = options;
    this.#shared = new PersistenceServices(services);
    this.connection = new RedisConnection(
      options,
      () => this.clock(),
      () => this.logger().info(`credchain: Redis at ${this.connection.server} answers again.`),
    );
  }

  get options(): ResolvedRedisCacheOptions {
    return this.#options;
  }

  open(options: TokenCacheStoreOptions): TokenCacheStore {
    const { name, partition } = options;
    if (typeof name !== "string" || !/^[A-Za-z0-9._-]+$/.test(name)) {
      throw new TypeError(
        `Token cache name ${JSON.stringify(name)} is not valid: use letters, digits, ".", "_" and "-".`,
      );
    }
    if (partition !== "cae" && partition !== "nocae") {
      throw new TypeError(
        `Token cache partition must be "cae" or "nocae"; got ${String(partition)}.`,
      );
    }
    this.#shared.adopt(options);
    this.connection.retain();
    return new RedisTokenStore(
      this,
      `${name}.${partition}`,
      options.allowUnencryptedStorage === true,
    );
  }

  /**
   * The key material, resolved once (a failed key function is retried on the next use). Throws
   * `CredentialUnavailableError` when there is no key and no consent to store plaintext.
   */
  async keys(name: string, allowUnencryptedStorage: boolean): Promise<RedisKeyMaterial> {
    this.#keys ??= this.#resolveKeys().catch((error: unknown) => {
      this.#keys = undefined;
      throw error;
    });
    const keys = await this.#keys;
    if (!keys.encrypted) this.#checkConsent(name, allowUnencryptedStorage);
    return keys;
  }

  async #resolveKeys(): Promise<RedisKeyMaterial> {
    const source = this.#options.key;
    if (source.kind === "none") return new RedisKeyMaterial(undefined);
    if (source.kind === "static") return new RedisKeyMaterial(source.bytes);
    let bytes: unknown;
    try {
      bytes = await source.provide();
    } catch (cause) {
      throw new CredentialUnavailableError(
        "credchain: the `encryptionKey` function given to redisCachePlugin failed, so the Redis token cache cannot be used.",
        { cause },
      );
    }
    if (!(bytes instanceof Uint8Array) || bytes.byteLength !== 32) {
      const got = bytes instanceof Uint8Array ? `${bytes.byteLength} bytes` : typeof bytes;
      throw new CredentialUnavailableError(
        `credchain: the \`encryptionKey\` function given to redisCachePlugin must resolve to a 32-byte Uint8Array; got ${got}.`,
      );
    }
    return new RedisKeyMaterial(bytes);
  }

  #checkConsent(name: string, allowed: boolean): void {
    if (!allowed) {
      throw new CredentialUnavailableError(
        `credchain: the Redis token cache "${name}" needs an encryption key and none is configured. ` +
          "Set `encryptionKey` in redisCachePlugin({ ... }) or the CREDCHAIN_CACHE_KEY environment variable " +
          "(base64 of 32 random bytes, e.g. `openssl rand -base64 32`; the same on every replica), or set " +
          "`cachePersistenceOptions.allowUnencryptedStorage: true` to store tokens unencrypted.",
      );
    }
    const prefix = this.#options.keyPrefix;
    if (warnedUnencrypted.has(prefix)) return;
    warnedUnencrypted.add(prefix);
    const message =
      `credchain: the Redis token cache (key prefix "${prefix}") stores access tokens UNENCRYPTED ` +
      "(allowUnencryptedStorage is true and no encryption key is configured): anyone who can read " +
      "this Redis can use them. Set `encryptionKey` or CREDCHAIN_CACHE_KEY to encrypt them.";
    const logger = this.logger();
    logger.warn(message);
    // With no logger registered (the default discards everything) it goes to stderr as a process
    // warning, as it must not be silent; a registered logger is where the application wants it.
    // The same rule as @credchain/cache-file.
    if (logger === noopLogger)
      process.emitWarning(message, { code: "CREDCHAIN_CACHE_UNENCRYPTED" });
  }

  /**
   * Once per process, on the first write: records which key writes under this prefix and learns
   * which one did before. Another key means replicas that cannot share tokens: reported once.
   */
  async checkKeyMarker(
    keys: RedisKeyMaterial,
    store: string,
    reporter: StoreReporter | undefined,
  ): Promise<void> {
    if (this.#checkedKeyMarker) return;
    this.#checkedKeyMarker = true;
    const marker = `${this.#options.keyPrefix}key-id`;
    await this.connection
      .run((client) =>
        client.sendCommand([
          "SET",
          marker,
          keys.fingerprint,
          "PX",
          String(KEY_MARKER_TTL_IN_MS),
          "GET",
        ]),
      )
      .then((result) => {
        if (!result.ok) {
          // Best effort: `SET ... GET` needs Redis 6.2; an older one refuses, and that is all.
          if (result.report?.reason === "command") return;
          // Try again on a later write.
          this.#checkedKeyMarker = false;
          if (result.report !== undefined) this.report(store, "write", result.report, reporter);
          return;
        }
        const previous = result.value;
        if (typeof previous === "string" && previous !== keys.fingerprint) {
          this.reportOnce(
            "other-key",
            store,
            new RedisCacheError(this.connection.server, "other-key"),
            reporter,
          );
        }
      });
  }

  /** Reports a problem that is not an outage (and so not thrown into a call) once per process. */
  reportOnce(
    what: string,
    store: string,
    error: RedisCacheError,
    reporter: StoreReporter | undefined,
  ): void {
    if (this.#reported.has(what)) return;
    this.#reported.add(what);
    this.report(store, "read", error, reporter);
  }

  /** Reports on `cache:error` and in the log: for failures no token request is waiting on. */
  report(
    store: string,
    operation: "read" | "write",
    error: RedisCacheError,
    reporter: StoreReporter | undefined,
  ): void {
    if (reporter !== undefined) {
      reporter(error, operation);
      return;
    }
    this.logger().warn(error.message);
    credentialEvents.emit("cache:error", { store, operation, error });
  }

  logger(): Logger {
    return this.#shared.logger();
  }

  clock(): Clock {
    return this.#shared.clock();
  }
}
