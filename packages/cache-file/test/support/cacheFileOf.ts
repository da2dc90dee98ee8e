import { cacheFileName } from "../../src/cacheFileName.js";
import { EncryptionKey } from "../../src/EncryptionKey.js";

/** The file name a process with `key` (or none) uses for a cache name and partition. */
export function cacheFileOf(
  key: Uint8Array | undefined,
  name = "msal.cache",
  partition: "cae" | "nocae" = "nocae",
): string {
  return cacheFileName(name, partition, key === undefined ? undefined : new EncryptionKey(key));
}
