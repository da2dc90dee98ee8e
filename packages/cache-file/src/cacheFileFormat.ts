import type { AccessToken } from "@credchain/core";
import { aesGcmCodec } from "@credchain/core/plugin";
import type { EncryptionKey } from "./EncryptionKey.js";
import { CorruptCacheFileError } from "./CorruptCacheFileError.js";

/**
 * The on-disk format of one cache file:
 *
 *   "CCTC" | version (1 byte) | mode (1 byte) | body
 *
 * mode 1 (AES-256-GCM): body = IV (12 random bytes, new per write) | ciphertext | tag (16 bytes),
 * sealed by core's shared `aesGcmCodec`.
 * The additional authenticated data is the 6-byte header plus the store's name and partition, so
 * a changed header, a flipped bit, a different key or a file copied over another store's file
 * all fail authentication.
 *
 * mode 0 (plaintext, only with the user's consent): body = the UTF-8 JSON payload.
 *
 * The payload is `{"store": "<name>.<partition>", "entries": {<key>: {t, e, r?, y?}}}`.
 *
 * On disk, each cache name, key and partition has its own file, `<name>.<key id>.<partition>`
 * (key id: 16 hex characters derived one-way from the key, or `plaintext`; see
 * `cacheFileName.ts`), so processes with different keys never read or replace each other's files.
 */
const MAGIC = Buffer.from("CCTC", "latin1");
const VERSION = 1;
const MODE_PLAINTEXT = 0;
const MODE_AES_256_GCM = 1;
const HEADER_BYTES = MAGIC.length + 2;

/** No token cache gets near this; a larger file is damage or abuse and is not parsed. */
export const MAX_CACHE_FILE_BYTES = 16 * 1024 * 1024;

/** The entries of one cache file, by canonical cache key. */
export type CacheEntries = Map<string, AccessToken>;

interface StoredEntry {
  t: string;
  e: number;
  r?: number;
  y?: string;
}

/** Everything that identifies a file's content besides its bytes. */
export interface CacheFileIdentity {
  /** `<name>.<partition>`, bound into the ciphertext so files cannot be swapped. */
  store: string;
  /** For error messages only. */
  path: string;
}

function header(mode: number): Buffer {
  const bytes = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(bytes, 0);
  bytes[MAGIC.length] = VERSION;
  bytes[MAGIC.length + 1] = mode;
  return bytes;
}

function additionalData(head: Buffer, store: string): Buffer {
  return Buffer.concat([head, Buffer.from(`\0credchain-token-cache\0${store}`, "utf8")]);
}

function serialize(entries: CacheEntries, store: string): Buffer {
  const stored: Record<string, StoredEntry> = {};
  for (const [key, token] of entries) {
    const entry: StoredEntry = { t: token.token, e: token.expiresOnTimestamp };
    if (token.refreshAfterTimestamp !== undefined) entry.r = token.refreshAfterTimestamp;
    if (token.tokenType !== undefined) entry.y = token.tokenType;
    stored[key] = entry;
  }
  return Buffer.from(JSON.stringify({ store, entries: stored }), "utf8");
}

function deserialize(json: Buffer, identity: CacheFileIdentity): CacheEntries {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json.toString("utf8"));
  } catch {
    // The cause would quote file content, which may be a token: leave it out.
    throw new CorruptCacheFileError(identity.path, "payload");
  }
  if (typeof parsed !== "object" || parsed === null) {
    throw new CorruptCacheFileError(identity.path, "payload");
  }
  const { store, entries } = parsed as { store?: unknown; entries?: unknown };
  // A plaintext file has no ciphertext binding, so the payload carries the store name instead.
  if (store !== identity.store || typeof entries !== "object" || entries === null) {
    throw new CorruptCacheFileError(identity.path, "payload");
  }
  const result: CacheEntries = new Map();
  for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
    const token = toAccessToken(value);
    // An entry this version does not understand is skipped rather than failing the whole file.
    if (token !== undefined) result.set(key, token);
  }
  return result;
}

function toAccessToken(value: unknown): AccessToken | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { t, e, r, y } = value as Partial<Record<keyof StoredEntry, unknown>>;
  if (typeof t !== "string" || t === "" || typeof e !== "number" || !Number.isFinite(e)) {
    return undefined;
  }
  const token: AccessToken = { token: t, expiresOnTimestamp: e };
  if (typeof r === "number" && Number.isFinite(r)) token.refreshAfterTimestamp = r;
  if (y === "Bearer" || y === "pop") token.tokenType = y;
  return token;
}

/** Encodes entries into file bytes: encrypted when `key` is given, else plaintext. */
export function encodeCacheFile(
  entries: CacheEntries,
  identity: CacheFileIdentity,
  key: EncryptionKey | undefined,
): Buffer {
  const json = serialize(entries, identity.store);
  if (key === undefined) return Buffer.concat([header(MODE_PLAINTEXT), json]);
  const head = header(MODE_AES_256_GCM);
  const sealed = aesGcmCodec.seal(key.bytes(), json, additionalData(head, identity.store));
  // Best effort: do not leave a plaintext copy of the tokens in a pooled buffer.
  json.fill(0);
  return Buffer.concat([head, sealed]);
}

/**
 * Decodes file bytes. Throws `CorruptCacheFileError` for anything that is not an intact file of
 * this store in the expected mode: with a key only authenticated ciphertext is trusted, so a
 * planted plaintext file cannot inject tokens.
 */
export function decodeCacheFile(
  bytes: Buffer,
  identity: CacheFileIdentity,
  key: EncryptionKey | undefined,
): CacheEntries {
  if (bytes.length > MAX_CACHE_FILE_BYTES) {
    throw new CorruptCacheFileError(identity.path, "too-large");
  }
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new CorruptCacheFileError(identity.path, "format");
  }
  if (bytes[MAGIC.length] !== VERSION) throw new CorruptCacheFileError(identity.path, "version");
  const mode = bytes[MAGIC.length + 1];
  if (mode === MODE_PLAINTEXT) {
    if (key !== undefined) throw new CorruptCacheFileError(identity.path, "unencrypted-with-key");
    return deserialize(bytes.subarray(HEADER_BYTES), identity);
  }
  if (mode !== MODE_AES_256_GCM) throw new CorruptCacheFileError(identity.path, "version");
  if (key === undefined) throw new CorruptCacheFileError(identity.path, "encrypted-without-key");
  if (bytes.length < HEADER_BYTES + aesGcmCodec.overheadBytes) {
    throw new CorruptCacheFileError(identity.path, "format");
  }
  const head = bytes.subarray(0, HEADER_BYTES);
  const json = aesGcmCodec.open(
    key.bytes(),
    bytes.subarray(HEADER_BYTES),
    additionalData(head, identity.store),
  );
  if (json === undefined) throw new CorruptCacheFileError(identity.path, "authentication");
  try {
    return deserialize(json, identity);
  } finally {
    json.fill(0);
  }
}
