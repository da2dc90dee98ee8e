import { createHash, hkdfSync } from "node:crypto";
import type { EncryptionKey } from "./EncryptionKey.js";

/** Domain separation: this derivation is used for nothing but naming files. */
const SALT = "credchain/cache-file";
const INFO = "key-id";
/** 64 bits: a collision between two keys in one directory is not a practical concern. */
const KEY_ID_HEX_CHARS = 16;

const ids = new WeakMap<EncryptionKey, string>();

/**
 * A short public name for a key: the first 16 hex characters of SHA-256 over an HKDF-SHA256 of
 * the key. It is one-way (it reveals nothing about the key) and stable, so every process with
 * the same key computes the same id and shares files, and processes with different keys never
 * open each other's files.
 */
export function keyIdOf(key: EncryptionKey): string {
  let id = ids.get(key);
  if (id === undefined) {
    const derived = Buffer.from(hkdfSync("sha256", key.bytes(), SALT, INFO, 32));
    try {
      id = createHash("sha256").update(derived).digest("hex").slice(0, KEY_ID_HEX_CHARS);
    } finally {
      derived.fill(0);
    }
    ids.set(key, id);
  }
  return id;
}
