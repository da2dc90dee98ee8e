import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** AES-256 needs exactly this many key bytes. */
export const AES_GCM_KEY_BYTES = 32;
/** A fresh random IV per message: 96 bits, the size GCM is designed for. */
const IV_BYTES = 12;
/** The full 128-bit tag: shorter tags weaken authentication. */
const TAG_BYTES = 16;

/**
 * AES-256-GCM as every credchain persistence plugin seals a token at rest:
 *
 *   sealed = IV (12 random bytes, new per message) | ciphertext | tag (16 bytes)
 *
 * The additional authenticated data (AAD) is not stored: the caller binds what the bytes belong
 * to (a file's header and store name, a Redis entry's cache key), so moving sealed bytes to
 * another place fails authentication just like a flipped bit or another key does.
 */
export const aesGcmCodec = {
  /** Bytes a sealed message has beyond its plaintext. */
  overheadBytes: IV_BYTES + TAG_BYTES,

  /** Encrypts and authenticates `plaintext` (and `additionalData`) under a 32-byte `key`. */
  seal(key: Uint8Array, plaintext: Uint8Array, additionalData?: Uint8Array): Buffer {
    checkKey(key);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    if (additionalData !== undefined) cipher.setAAD(additionalData);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]);
  },

  /**
   * The plaintext of `sealed`, or `undefined` when it is not an intact message sealed under `key`
   * with the same `additionalData` (too short, modified, another key, another binding). Says
   * nothing more: the reason would only help an attacker, and the caller knows what it read.
   */
  open(key: Uint8Array, sealed: Uint8Array, additionalData?: Uint8Array): Buffer | undefined {
    checkKey(key);
    if (sealed.byteLength < IV_BYTES + TAG_BYTES) return undefined;
    const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    const iv = bytes.subarray(0, IV_BYTES);
    const ciphertext = bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES);
    const tag = bytes.subarray(bytes.length - TAG_BYTES);
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
      if (additionalData !== undefined) decipher.setAAD(additionalData);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      return undefined;
    }
  },
} as const;

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.byteLength !== AES_GCM_KEY_BYTES) {
    throw new RangeError(
      `An AES-256-GCM key must be a ${AES_GCM_KEY_BYTES}-byte Uint8Array; got ` +
        `${key instanceof Uint8Array ? `${key.byteLength} bytes` : typeof key}. ` +
        "Generate one with crypto.randomBytes(32).",
    );
  }
}
