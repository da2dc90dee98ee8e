import { describe, expect, it } from "vitest";
import { decodeCacheFile, encodeCacheFile } from "../src/cacheFileFormat.js";
import { CorruptCacheFileError } from "../src/CorruptCacheFileError.js";
import { EncryptionKey } from "../src/EncryptionKey.js";

const KEY = new EncryptionKey(Buffer.alloc(32, 7));
const IDENTITY = { store: "msal.cache.nocae", path: "/x" };
const ENTRY = {
  token: "tok-en",
  expiresOnTimestamp: 1767225600000,
  refreshAfterTimestamp: 1767222000000,
  tokenType: "Bearer",
} as const;

// Written by cache-file 0.1.0 (its own AES-GCM code, before the shared codec in core).
const WRITTEN_BY_0_1_0 =
  "Q0NUQwEBp61cFZtjNh9RT01FwzTl7ClDuwfCaUX0dXy6GUZI3jgPq5hiCpXotL59U9VU8bSPnb9xYofNGlxk1cyJKJ+VyThOb5+4J2cBe48vdG+n1ncOM9+L+wDznhddmbWZnvfS+H6ntdaMCbVqHjv57Vwe7qnzDGcjTE4MOdW/Bg+c4syKLfW3NQx3e7GZ2ZpT1b0lzHgBnoSvIwjD89SXXZrk7w==";

describe("cache file format on the shared AES-GCM codec", () => {
  it("reads a file written before the codec moved to core: the on-disk format is unchanged", () => {
    const entries = decodeCacheFile(Buffer.from(WRITTEN_BY_0_1_0, "base64"), IDENTITY, KEY);
    expect([...entries]).toEqual([["https://a|c|t|nocae|scope", ENTRY]]);
  });

  it("writes header | IV | ciphertext | tag, the same size as before", () => {
    const entries = new Map([["https://a|c|t|nocae|scope", { ...ENTRY }]]);
    const bytes = encodeCacheFile(entries, IDENTITY, KEY);
    expect(bytes.length).toBe(Buffer.from(WRITTEN_BY_0_1_0, "base64").length);
    expect(bytes.subarray(0, 6).toString("latin1")).toBe("CCTC\u0001\u0001");
    expect([...decodeCacheFile(bytes, IDENTITY, KEY)]).toEqual([...entries]);
  });

  it("still binds the store name: another store's file fails authentication", () => {
    const bytes = Buffer.from(WRITTEN_BY_0_1_0, "base64");
    expect(() => decodeCacheFile(bytes, { store: "msal.cache.cae", path: "/x" }, KEY)).toThrow(
      CorruptCacheFileError,
    );
  });
});
