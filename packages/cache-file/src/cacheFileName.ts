import type { EncryptionKey } from "./EncryptionKey.js";
import { keyIdOf } from "./keyId.js";

/** The key-id segment of files written without encryption. */
export const PLAINTEXT_KEY_ID = "plaintext";

/** What the key-id segment of a cache file name can be: a key id or `plaintext`. */
const KEY_ID_SEGMENT = /^(?:[0-9a-f]{16}|plaintext)$/;

/**
 * The file name of a cache name, key and partition: `<name>.<key id>.<partition>`, e.g.
 * `msal.cache.3f9a0c2e51d7b648.nocae`, or `<name>.plaintext.<partition>` without a key (see
 * `cacheFileFormat.ts` for the layout). The key id is the last segment but one, so names that
 * contain dots still parse unambiguously.
 */
export function cacheFileName(
  name: string,
  partition: "cae" | "nocae",
  key: EncryptionKey | undefined,
): string {
  return `${name}.${key === undefined ? PLAINTEXT_KEY_ID : keyIdOf(key)}.${partition}`;
}

/**
 * The key ids of `name`'s `partition` files among `fileNames` (a directory listing). Lock and
 * temporary files are not cache files and are not listed.
 */
export function keyIdsInDirectory(
  fileNames: readonly string[],
  name: string,
  partition: "cae" | "nocae",
): string[] {
  const prefix = `${name}.`;
  const suffix = `.${partition}`;
  const found: string[] = [];
  for (const fileName of fileNames) {
    if (!fileName.startsWith(prefix) || !fileName.endsWith(suffix)) continue;
    const segment = fileName.slice(prefix.length, fileName.length - suffix.length);
    if (KEY_ID_SEGMENT.test(segment)) found.push(segment);
  }
  return found;
}
