import { inspect } from "node:util";

/** AES-256 needs exactly this many key bytes. */
export const KEY_BYTES = 32;

/**
 * The cache encryption key. The bytes sit in a private field and every way of printing the object
 * (`util.inspect`, `JSON.stringify`, string conversion) shows a placeholder, so a key never ends
 * up in a log line or an error by accident.
 */
export class EncryptionKey {
  readonly #bytes: Buffer;

  /** Copies `bytes`, so the caller zeroing or reusing its buffer cannot change the key. */
  constructor(bytes: Uint8Array) {
    if (bytes.byteLength !== KEY_BYTES) {
      throw new RangeError(
        `The cache encryption key must be ${KEY_BYTES} bytes (AES-256); got ${bytes.byteLength}. ` +
          "Generate one with crypto.randomBytes(32) or `openssl rand -base64 32`.",
      );
    }
    this.#bytes = Buffer.from(bytes);
  }

  /** The raw key, for the cipher only. */
  bytes(): Buffer {
    return this.#bytes;
  }

  toJSON(): string {
    return "[EncryptionKey]";
  }

  toString(): string {
    return "[EncryptionKey]";
  }

  [inspect.custom](): string {
    return "[EncryptionKey]";
  }
}
