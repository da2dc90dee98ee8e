import { resolve as resolvePath } from "node:path";
import {
  defaultCacheDirectory,
  processEnvironment,
  type CacheDirectoryEnvironment,
} from "./defaultCacheDirectory.js";
import { EncryptionKey, KEY_BYTES } from "./EncryptionKey.js";
import type { FileCacheOptions } from "./FileCacheOptions.js";

/** Where the encryption key comes from, decided once when the plugin is created. */
export type KeySource =
  | { kind: "static"; key: EncryptionKey; origin: "encryptionKey" | "CREDCHAIN_CACHE_KEY" }
  | { kind: "provider"; provide: () => Promise<Uint8Array> }
  | { kind: "keyring" };

/** `FileCacheOptions` with every default applied and every value checked. */
export interface ResolvedFileCacheOptions {
  /** Absolute. */
  directory: string;
  key: KeySource;
  lock: { timeoutInMs: number; staleInMs: number };
}

export const DEFAULT_LOCK_TIMEOUT_IN_MS = 5_000;
export const DEFAULT_LOCK_STALE_IN_MS = 10_000;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * The one place `FileCacheOptions` are normalized and the environment is read. Throws `TypeError`
 * or `RangeError` with what to do; never echoes a key.
 */
export function resolveOptions(
  options: FileCacheOptions | undefined,
  environment: CacheDirectoryEnvironment = processEnvironment,
): ResolvedFileCacheOptions {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new TypeError("fileCachePlugin(options): options must be an object or undefined.");
  }
  const env = environment.env;
  return {
    directory: resolveDirectory(options?.directory, environment),
    key: resolveKeySource(options?.encryptionKey, env["CREDCHAIN_CACHE_KEY"]),
    lock: resolveLock(options?.lock),
  };
}

function resolveDirectory(
  directory: string | undefined,
  environment: CacheDirectoryEnvironment,
): string {
  if (directory !== undefined) {
    if (typeof directory !== "string" || directory.trim() === "") {
      throw new TypeError(
        "fileCachePlugin: `directory` must be a non-empty path; omit it to use CREDCHAIN_CACHE_DIR or the per-user cache directory.",
      );
    }
    return resolvePath(directory);
  }
  const fromEnv = environment.env["CREDCHAIN_CACHE_DIR"];
  if (fromEnv !== undefined && fromEnv.trim() !== "") return resolvePath(fromEnv);
  try {
    return resolvePath(defaultCacheDirectory(environment));
  } catch (cause) {
    throw new TypeError(
      "fileCachePlugin: found no home directory to keep the cache in; set `directory` or CREDCHAIN_CACHE_DIR.",
      { cause },
    );
  }
}

function resolveKeySource(
  encryptionKey: FileCacheOptions["encryptionKey"],
  fromEnv: string | undefined,
): KeySource {
  if (encryptionKey !== undefined) {
    if (typeof encryptionKey === "function") return { kind: "provider", provide: encryptionKey };
    if (!(encryptionKey instanceof Uint8Array)) {
      throw new TypeError(
        "fileCachePlugin: `encryptionKey` must be a 32-byte Uint8Array or an async function returning one.",
      );
    }
    if (encryptionKey.byteLength !== KEY_BYTES) {
      throw new RangeError(
        `fileCachePlugin: \`encryptionKey\` must be ${KEY_BYTES} bytes (AES-256); got ${encryptionKey.byteLength}. ` +
          "Generate one with crypto.randomBytes(32).",
      );
    }
    return { kind: "static", key: new EncryptionKey(encryptionKey), origin: "encryptionKey" };
  }
  if (fromEnv !== undefined && fromEnv.trim() !== "") {
    return { kind: "static", key: decodeEnvKey(fromEnv.trim()), origin: "CREDCHAIN_CACHE_KEY" };
  }
  return { kind: "keyring" };
}

function decodeEnvKey(value: string): EncryptionKey {
  const padded = BASE64.test(value);
  // Node's base64 decoder skips characters it does not know, so check the alphabet first: a
  // typo must not silently become a different key.
  if (!padded && !BASE64URL.test(value)) {
    throw new RangeError(
      "CREDCHAIN_CACHE_KEY is not valid base64. Set it to the base64 encoding of 32 random bytes, " +
        "e.g. the output of `openssl rand -base64 32`, or unset it to use the OS keyring.",
    );
  }
  const bytes = Buffer.from(value, padded ? "base64" : "base64url");
  if (bytes.byteLength !== KEY_BYTES) {
    throw new RangeError(
      `CREDCHAIN_CACHE_KEY decodes to ${bytes.byteLength} bytes; it must decode to ${KEY_BYTES} ` +
        "(AES-256). Generate one with `openssl rand -base64 32`, or unset it to use the OS keyring.",
    );
  }
  const key = new EncryptionKey(bytes);
  bytes.fill(0);
  return key;
}

function resolveLock(lock: FileCacheOptions["lock"]): ResolvedFileCacheOptions["lock"] {
  if (lock !== undefined && (typeof lock !== "object" || lock === null)) {
    throw new TypeError("fileCachePlugin: `lock` must be an object or undefined.");
  }
  const timeoutInMs = milliseconds("lock.timeoutInMs", lock?.timeoutInMs, 0);
  const staleInMs = milliseconds("lock.staleInMs", lock?.staleInMs, 1);
  return {
    timeoutInMs: timeoutInMs ?? DEFAULT_LOCK_TIMEOUT_IN_MS,
    staleInMs: staleInMs ?? DEFAULT_LOCK_STALE_IN_MS,
  };
}

function milliseconds(name: string, value: number | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new RangeError(
      `fileCachePlugin: \`${name}\` must be a finite number of milliseconds >= ${min}; got ${String(value)}.`,
    );
  }
  return value;
}
