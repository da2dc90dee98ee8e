import { createHash, createHmac, hkdfSync } from "node:crypto";
import { inspect } from "node:util";
import { aesGcmCodec } from "@credchain/core/plugin";

/**
 * What the encryption key (or its absence) decides: how entries are sealed and how Redis key
 * names are derived. Names are HMAC-SHA256 under a key derived from the encryption key (HKDF), so
 * neither tenant nor client ids are readable in Redis, and replicas with different keys use
 * disjoint names: they can neither read nor overwrite each other's entries. Without a key, names
 * are plain SHA-256 (still not readable; not secret either). The key bytes sit in private fields
 * and every way of printing the object shows a placeholder.
 */
export class RedisKeyMaterial {
  readonly #sealing: Buffer | undefined;
  readonly #naming: Buffer | undefined;
  /** Identifies the key without revealing it: equal on replicas that share a key. */
  readonly fingerprint: string;

  /** Copies `bytes` (32 of them) or, with `undefined`, stores entries unencrypted. */
  constructor(bytes: Uint8Array | undefined) {
    if (bytes === undefined) {
      this.#sealing = undefined;
      this.#naming = undefined;
      this.fingerprint = "unencrypted";
      return;
    }
    this.#sealing = Buffer.from(bytes);
    // A separate key for names: the cipher key is never used for anything but the cipher.
    this.#naming = Buffer.from(
      hkdfSync("sha256", this.#sealing, "", "credchain cache-redis key names v1", 32),
    );
    this.fingerprint = createHmac("sha256", this.#naming)
      .update("credchain cache-redis key id")
      .digest("base64url")
      .slice(0, 22);
  }

  get encrypted(): boolean {
    return this.#sealing !== undefined;
  }

  /** The name of everything Redis holds for one cache key. */
  entryId(binding: string): string {
    const hash =
      this.#naming === undefined ? createHash("sha256") : createHmac("sha256", this.#naming);
    return hash.update(binding, "utf8").digest("base64url");
  }

  /** AES-256-GCM with `binding` as additional data; base64 text for Redis. */
  seal(plaintext: Buffer, binding: string): string {
    if (this.#sealing === undefined) throw new Error("credchain: no cache encryption key");
    return aesGcmCodec
      .seal(this.#sealing, plaintext, Buffer.from(binding, "utf8"))
      .toString("base64");
  }

  /** The plaintext of what `seal` wrote for the same binding, else `undefined`. */
  open(sealed: string, binding: string): Buffer | undefined {
    if (this.#sealing === undefined) return undefined;
    return aesGcmCodec.open(
      this.#sealing,
      Buffer.from(sealed, "base64"),
      Buffer.from(binding, "utf8"),
    );
  }

  toJSON(): string {
    return "[RedisKeyMaterial]";
  }

  toString(): string {
    return "[RedisKeyMaterial]";
  }

  [inspect.custom](): string {
    return "[RedisKeyMaterial]";
  }
}
