import { decodeBase64Key } from "@credchain/core/plugin";
import type { RedisCacheOptions } from "./RedisCacheOptions.js";
import {
  fromCluster,
  isClusterClient,
  isRedisClient,
  type RedisClientLike,
} from "./RedisClientLike.js";

/** Where the encryption key comes from, decided once when the plugin is created. */
export type RedisKeySource =
  | { kind: "static"; bytes: Buffer }
  | { kind: "provider"; provide: () => Promise<Uint8Array> }
  | { kind: "none" };

/** `RedisCacheOptions` with every default applied and every value checked. */
export interface ResolvedRedisCacheOptions {
  /** The caller's client (never quit), or the URL of the one the plugin creates. */
  connection: { kind: "client"; client: RedisClientLike } | { kind: "url"; url: string };
  keyPrefix: string;
  key: RedisKeySource;
  coordination: false | { leaseInMs: number; waitInMs: number };
  commandTimeoutInMs: number;
}

export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
export const DEFAULT_LEASE_IN_MS = 10_000;
export const DEFAULT_WAIT_IN_MS = 5_000;
export const DEFAULT_COMMAND_TIMEOUT_IN_MS = 500;
const MAX_TIMER_IN_MS = 2 ** 31 - 1;

/**
 * The one place `RedisCacheOptions` are normalized and the environment is read. Throws
 * `TypeError` or `RangeError` saying what to pass; never echoes a key or a URL (it may hold a
 * password).
 */
export function resolveOptions(
  options: RedisCacheOptions | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedRedisCacheOptions {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new TypeError("redisCachePlugin(options): options must be an object or undefined.");
  }
  return {
    connection: resolveConnection(options?.client, options?.url, env["CREDCHAIN_REDIS_URL"]),
    keyPrefix: resolvePrefix(options?.keyPrefix),
    key: resolveKey(options?.encryptionKey, env["CREDCHAIN_CACHE_KEY"]),
    coordination: resolveCoordination(options?.coordination),
    commandTimeoutInMs:
      milliseconds("commandTimeoutInMs", options?.commandTimeoutInMs, 1) ??
      DEFAULT_COMMAND_TIMEOUT_IN_MS,
  };
}

function resolveConnection(
  client: unknown,
  url: string | undefined,
  fromEnv: string | undefined,
): ResolvedRedisCacheOptions["connection"] {
  if (client !== undefined) {
    if (isClusterClient(client)) return { kind: "client", client: fromCluster(client) };
    if (!isRedisClient(client)) {
      throw new TypeError(
        "redisCachePlugin: `client` must be a node-redis client (createClient() from the `redis` package, v4 or v5); omit it to pass `url`.",
      );
    }
    return { kind: "client", client };
  }
  const chosen =
    url ?? (fromEnv !== undefined && fromEnv.trim() !== "" ? fromEnv.trim() : undefined);
  if (chosen === undefined) return { kind: "url", url: DEFAULT_REDIS_URL };
  const where = url === undefined ? "CREDCHAIN_REDIS_URL" : "`url`";
  let parsed: URL;
  try {
    parsed = new URL(chosen);
  } catch {
    throw new TypeError(
      `redisCachePlugin: ${where} is not a URL; pass e.g. "redis://127.0.0.1:6379" or "rediss://host:6380".`,
    );
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new TypeError(
      `redisCachePlugin: ${where} must start with redis:// or rediss://; got ${parsed.protocol}//.`,
    );
  }
  return { kind: "url", url: chosen };
}

function resolvePrefix(prefix: string | undefined): string {
  if (prefix === undefined) return "credchain:";
  if (typeof prefix !== "string" || prefix.length > 100 || /[\s{}]/.test(prefix)) {
    throw new TypeError(
      'redisCachePlugin: `keyPrefix` must be a string of at most 100 characters without spaces or braces, e.g. "myapp:credchain:".',
    );
  }
  return prefix;
}

function resolveKey(
  encryptionKey: RedisCacheOptions["encryptionKey"],
  fromEnv: string | undefined,
): RedisKeySource {
  if (encryptionKey !== undefined) {
    if (typeof encryptionKey === "function") return { kind: "provider", provide: encryptionKey };
    if (!(encryptionKey instanceof Uint8Array)) {
      throw new TypeError(
        "redisCachePlugin: `encryptionKey` must be a 32-byte Uint8Array or an async function returning one.",
      );
    }
    if (encryptionKey.byteLength !== 32) {
      throw new RangeError(
        `redisCachePlugin: \`encryptionKey\` must be 32 bytes (AES-256); got ${encryptionKey.byteLength}. ` +
          "Generate one with crypto.randomBytes(32).",
      );
    }
    return { kind: "static", bytes: Buffer.from(encryptionKey) };
  }
  if (fromEnv !== undefined && fromEnv.trim() !== "") {
    return { kind: "static", bytes: decodeBase64Key(fromEnv, "CREDCHAIN_CACHE_KEY") };
  }
  return { kind: "none" };
}

function resolveCoordination(
  coordination: RedisCacheOptions["coordination"],
): ResolvedRedisCacheOptions["coordination"] {
  if (coordination === false) return false;
  if (coordination !== undefined && (typeof coordination !== "object" || coordination === null)) {
    throw new TypeError(
      "redisCachePlugin: `coordination` must be false or { leaseInMs?, waitInMs? }.",
    );
  }
  return {
    leaseInMs:
      milliseconds("coordination.leaseInMs", coordination?.leaseInMs, 1) ?? DEFAULT_LEASE_IN_MS,
    waitInMs:
      milliseconds("coordination.waitInMs", coordination?.waitInMs, 0) ?? DEFAULT_WAIT_IN_MS,
  };
}

function milliseconds(name: string, value: number | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== "number" ||
    !Number.isFinite(value) ||
    value < min ||
    value > MAX_TIMER_IN_MS
  ) {
    throw new RangeError(
      `redisCachePlugin: \`${name}\` must be a number of milliseconds from ${min} to 2^31-1; got ${String(value)}.`,
    );
  }
  return value;
}
