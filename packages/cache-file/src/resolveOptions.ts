import { resolve as resolvePath } from "node:path";
import { decodeBase64Key } from "@credchain/core/plugin";
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

/** The key in `CREDCHAIN_CACHE_KEY`; the decoded bytes are wiped once copied into the key. */
function decodeEnvKey(value: string): EncryptionKey {
  const bytes = decodeBase64Key(value, "CREDCHAIN_CACHE_KEY", "unset it to use the OS keyring");
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
