import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AES_GCM_KEY_BYTES, aesGcmCodec, decodeBase64Key } from "../src/plugin.js";

const KEY = randomBytes(AES_GCM_KEY_BYTES);
const AAD = Buffer.from("credchain|client|tenant|nocae|scope");

describe("aesGcmCodec", () => {
  it("round-trips with the same key and additional data; IV | ciphertext | tag", () => {
    const sealed = aesGcmCodec.seal(KEY, Buffer.from("secret token"), AAD);
    expect(sealed.length).toBe("secret token".length + aesGcmCodec.overheadBytes);
    expect(sealed.includes(Buffer.from("secret token"))).toBe(false);
    expect(aesGcmCodec.open(KEY, sealed, AAD)?.toString()).toBe("secret token");
  });

  it("a fresh IV per message: the same plaintext never seals to the same bytes", () => {
    const a = aesGcmCodec.seal(KEY, Buffer.from("x"), AAD);
    const b = aesGcmCodec.seal(KEY, Buffer.from("x"), AAD);
    expect(a.equals(b)).toBe(false);
  });

  it("refuses another binding, another key, a flipped bit or a truncated message", () => {
    const sealed = aesGcmCodec.seal(KEY, Buffer.from("secret token"), AAD);
    expect(aesGcmCodec.open(KEY, sealed, Buffer.from("another key"))).toBeUndefined();
    expect(aesGcmCodec.open(KEY, sealed)).toBeUndefined();
    expect(aesGcmCodec.open(randomBytes(32), sealed, AAD)).toBeUndefined();
    const flipped = Buffer.from(sealed);
    flipped[14] = (flipped[14] ?? 0) ^ 1;
    expect(aesGcmCodec.open(KEY, flipped, AAD)).toBeUndefined();
    expect(aesGcmCodec.open(KEY, sealed.subarray(0, 20), AAD)).toBeUndefined();
  });

  it("seals without additional data too", () => {
    const sealed = aesGcmCodec.seal(KEY, Buffer.from("plain"));
    expect(aesGcmCodec.open(KEY, sealed)?.toString()).toBe("plain");
  });

  it("a key of the wrong size is a RangeError that says how to make one", () => {
    expect(() => aesGcmCodec.seal(randomBytes(16), Buffer.from("x"))).toThrow(
      /32-byte Uint8Array; got 16 bytes.*randomBytes\(32\)/,
    );
  });
});

describe("decodeBase64Key", () => {
  it("accepts base64 and base64url of 32 bytes", () => {
    expect(decodeBase64Key(KEY.toString("base64"), "K").equals(KEY)).toBe(true);
    expect(decodeBase64Key(` ${KEY.toString("base64url")}\n`, "K").equals(KEY)).toBe(true);
  });

  it("names the setting, never echoes the value", () => {
    expect(() => decodeBase64Key("not*base64!", "CREDCHAIN_CACHE_KEY")).toThrow(
      /^CREDCHAIN_CACHE_KEY is not valid base64/,
    );
    const short = randomBytes(16).toString("base64");
    try {
      decodeBase64Key(short, "CREDCHAIN_CACHE_KEY");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toMatch(/decodes to 16 bytes/);
      expect((error as Error).message).not.toContain(short);
    }
  });
});
