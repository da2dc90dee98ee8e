import { AES_GCM_KEY_BYTES } from "./aesGcmCodec.js";

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * The 32 key bytes a base64 (or base64url) setting such as `CREDCHAIN_CACHE_KEY` holds. Throws a
 * `RangeError` naming `setting` and saying how to generate a key; never echoes the value.
 * `otherwise`, when given, ends that message with what else the user can do (e.g. `"unset it to
 * use the OS keyring"`).
 */
export function decodeBase64Key(value: string, setting: string, otherwise?: string): Buffer {
  const or = otherwise === undefined ? "" : `, or ${otherwise}`;
  const trimmed = value.trim();
  const padded = BASE64.test(trimmed);
  // Node's base64 decoder skips characters it does not know, so check the alphabet first: a
  // typo must not silently become a different key.
  if (!padded && !BASE64URL.test(trimmed)) {
    throw new RangeError(
      `${setting} is not valid base64. Set it to the base64 encoding of ${AES_GCM_KEY_BYTES} random bytes, ` +
        `e.g. the output of \`openssl rand -base64 32\`${or}.`,
    );
  }
  const bytes = Buffer.from(trimmed, padded ? "base64" : "base64url");
  if (bytes.byteLength !== AES_GCM_KEY_BYTES) {
    const length = bytes.byteLength;
    bytes.fill(0);
    throw new RangeError(
      `${setting} decodes to ${length} bytes; it must decode to ${AES_GCM_KEY_BYTES} (AES-256). ` +
        `Generate one with \`openssl rand -base64 32\`${or}.`,
    );
  }
  return bytes;
}
