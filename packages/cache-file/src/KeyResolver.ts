import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { CredentialUnavailableError, systemClock, type Clock } from "@credchain/core";
import { EncryptionKey, KEY_BYTES } from "./EncryptionKey.js";
import { acquireFileLock, type FileLockOptions } from "./FileLock.js";
import type { KeyringAdapter } from "./KeyringAdapter.js";
import type { KeySource } from "./resolveOptions.js";
import { settleWithin } from "./settleWithin.js";

/** The key for one cache name, or why there is none. */
export type KeyResolution =
  { key: EncryptionKey; reason?: undefined } | { key: undefined; reason: string };

/** The keyring service every credchain cache key is filed under. */
export const KEYRING_SERVICE = "credchain";
/** A keyring that does not answer in this long (a locked keyring waiting on a prompt) is unusable. */
const KEYRING_TIMEOUT_IN_MS = 10_000;
/**
 * How long the `encryptionKey` function may take. A vault or KMS call answers in well under a
 * second; one that has not settled after 10 s is hung (a dead connection with no timeout), and
 * waiting longer would hang every `getToken` and `close()` behind it. Same bound as the keyring.
 */
export const KEY_FUNCTION_TIMEOUT_IN_MS = 10_000;

export interface KeyResolverOptions {
  source: KeySource;
  directory: string;
  lock: FileLockOptions;
  keyring: KeyringAdapter;
  /** The clock deadlines are measured on (the credentials' injected clock). Default: the wall clock. */
  clock?: () => Clock;
}

/**
 * Finds the encryption key of each cache name, once per name: the configured key, the key
 * function's result, or the key in the OS keyring (created on first use). Errors and messages
 * never contain key material.
 */
export class KeyResolver {
  readonly #options: KeyResolverOptions;
  readonly #resolved = new Map<string, Promise<KeyResolution>>();
  #provided: Promise<EncryptionKey> | undefined;

  constructor(options: KeyResolverOptions) {
    this.#options = options;
  }

  /**
   * The key for `name`. Rejects with `CredentialUnavailableError` when a configured key function
   * fails (retried on the next call); resolves without a key when the keyring is unusable.
   */
  resolve(name: string): Promise<KeyResolution> {
    const source = this.#options.source;
    switch (source.kind) {
      case "static":
        return Promise.resolve({ key: source.key });
      case "provider":
        return this.#fromProvider(source.provide).then((key) => ({ key }));
      case "keyring": {
        let resolution = this.#resolved.get(name);
        if (resolution === undefined) {
          // An unusable keyring is remembered: asking again on every cache miss would put a
          // D-Bus round trip (or a timeout) in front of every token request. Only a rejection
          // (a lock or I/O failure around it) is forgotten, to be retried.
          const resolving = this.#fromKeyring(name);
          resolution = resolving;
          this.#resolved.set(name, resolving);
          resolving.catch(() => {
            if (this.#resolved.get(name) === resolving) this.#resolved.delete(name);
          });
        }
        return resolution;
      }
    }
  }

  #fromProvider(provide: () => Promise<Uint8Array>): Promise<EncryptionKey> {
    this.#provided ??= (async () => {
      let bytes: unknown;
      try {
        bytes = await settleWithin(
          // A function that throws synchronously is a rejection like any other.
          Promise.resolve().then(() => provide()),
          KEY_FUNCTION_TIMEOUT_IN_MS,
          this.#clock(),
          () =>
            new CredentialUnavailableError(
              `credchain: the \`encryptionKey\` function given to fileCachePlugin did not settle within ${KEY_FUNCTION_TIMEOUT_IN_MS} ms, so the persistent token cache cannot be used. It is called again on the next cache access.`,
            ),
        );
      } catch (cause) {
        if (cause instanceof CredentialUnavailableError) throw cause;
        throw new CredentialUnavailableError(
          "credchain: the `encryptionKey` function given to fileCachePlugin failed, so the persistent token cache cannot be used.",
          { cause },
        );
      }
      if (!(bytes instanceof Uint8Array) || bytes.byteLength !== KEY_BYTES) {
        const got = bytes instanceof Uint8Array ? `${bytes.byteLength} bytes` : typeof bytes;
        throw new CredentialUnavailableError(
          `credchain: the \`encryptionKey\` function given to fileCachePlugin must resolve to a ${KEY_BYTES}-byte Uint8Array; got ${got}.`,
        );
      }
      return new EncryptionKey(bytes);
    })().catch((error: unknown) => {
      // A failed lookup (a vault briefly unreachable) is retried on the next cache access.
      this.#provided = undefined;
      throw error;
    });
    return this.#provided;
  }

  async #fromKeyring(name: string): Promise<KeyResolution> {
    const keyring = this.#options.keyring;
    const account = `cache-key:${name}`;
    const unavailable = (error: unknown): KeyResolution =>
      error instanceof MalformedKeyringEntry
        ? { key: undefined, reason: error.message }
        : {
            key: undefined,
            reason: `the OS keyring is unavailable (${keyring.name}: ${describe(error)})`,
          };
    let existing;
    try {
      existing = await this.#read(account);
    } catch (error) {
      return unavailable(error);
    }
    if (existing !== undefined) return existing;
    // Two processes starting together must not each create a key and overwrite the other's:
    // create it under a lock, re-reading first. A lock failure is not a keyring failure: it
    // propagates (and is retried on the next access) rather than being remembered as "no key".
    const lock = await acquireFileLock(
      join(this.#options.directory, `${name}.key.lock`),
      this.#options.lock,
    );
    try {
      const raced = await this.#read(account);
      if (raced !== undefined) return raced;
      const fresh = randomBytes(KEY_BYTES);
      try {
        await this.#withTimeout(
          keyring.setPassword(KEYRING_SERVICE, account, fresh.toString("base64")),
          keyring.name,
        );
      } finally {
        fresh.fill(0);
      }
      // Read back what the keyring kept, so every process uses the stored key.
      const stored = await this.#read(account);
      if (stored !== undefined) return stored;
      return { key: undefined, reason: `${keyring.name} did not keep the key it was given` };
    } catch (error) {
      return unavailable(error);
    } finally {
      await lock.release();
    }
  }

  #clock(): Clock {
    return this.#options.clock?.() ?? systemClock;
  }

  #withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
    return settleWithin(
      promise,
      KEYRING_TIMEOUT_IN_MS,
      this.#clock(),
      () => new Error(`${what} did not answer within ${KEYRING_TIMEOUT_IN_MS} ms`),
    );
  }

  async #read(account: string): Promise<{ key: EncryptionKey } | undefined> {
    const keyring = this.#options.keyring;
    const value = await this.#withTimeout(
      keyring.getPassword(KEYRING_SERVICE, account),
      keyring.name,
    );
    if (value === null || value === "") return undefined;
    const bytes = Buffer.from(value, "base64");
    try {
      if (bytes.byteLength !== KEY_BYTES) {
        throw new MalformedKeyringEntry(
          `the keyring entry "${KEYRING_SERVICE}" / "${account}" is not a base64 ${KEY_BYTES}-byte key; ` +
            "delete it to have a new key created (existing cache files then start empty)",
        );
      }
      return { key: new EncryptionKey(bytes) };
    } finally {
      bytes.fill(0);
    }
  }
}

class MalformedKeyringEntry extends Error {
  override readonly name = "MalformedKeyringEntry";
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Keyring errors are about the platform (D-Bus addresses, status codes), never the secret;
  // keep them to one line.
  return message.split("\n")[0] ?? "";
}
