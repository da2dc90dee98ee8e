import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  defaultCacheDirectory,
  type CacheDirectoryEnvironment,
} from "../src/defaultCacheDirectory.js";
import { fileCachePlugin } from "../src/fileCachePlugin.js";
import { resolveOptions } from "../src/resolveOptions.js";

function environment(
  platform: NodeJS.Platform,
  env: Record<string, string> = {},
): CacheDirectoryEnvironment {
  return {
    platform,
    env,
    homedir: () => (platform === "win32" ? "C:\\Users\\ada" : "/var/home/ada"),
  };
}

describe("defaultCacheDirectory", () => {
  it.each([
    ["linux", {}, "/var/home/ada/.cache/credchain"],
    ["linux", { XDG_CACHE_HOME: "/var/cache/ada" }, "/var/cache/ada/credchain"],
    ["linux", { XDG_CACHE_HOME: "relative/ignored" }, "/var/home/ada/.cache/credchain"],
    ["freebsd", {}, "/var/home/ada/.cache/credchain"],
    ["darwin", {}, "/var/home/ada/Library/Caches/credchain"],
    [
      "win32",
      { LOCALAPPDATA: "C:\\Users\\ada\\AppData\\Local" },
      "C:\\Users\\ada\\AppData\\Local\\credchain",
    ],
    ["win32", {}, "C:\\Users\\ada\\AppData\\Local\\credchain"],
  ] as const)("%s %j -> %s", (platform, env, expected) => {
    expect(defaultCacheDirectory(environment(platform, env))).toBe(expected);
  });
});

describe("resolveOptions", () => {
  it("defaults: per-user directory, keyring, 5 s timeout, 10 s staleness", () => {
    expect(resolveOptions(undefined, environment("linux"))).toEqual({
      directory: "/var/home/ada/.cache/credchain",
      key: { kind: "keyring" },
      lock: { timeoutInMs: 5_000, staleInMs: 10_000 },
    });
  });

  it("CREDCHAIN_CACHE_DIR beats the platform default; an explicit directory beats both", () => {
    const env = environment("linux", { CREDCHAIN_CACHE_DIR: "/srv/cache" });
    expect(resolveOptions({}, env).directory).toBe("/srv/cache");
    expect(resolveOptions({ directory: "/explicit" }, env).directory).toBe("/explicit");
  });

  it("takes the key from CREDCHAIN_CACHE_KEY (base64 or base64url) when none is given", () => {
    const key = randomBytes(32);
    for (const encoded of [key.toString("base64"), key.toString("base64url")]) {
      const resolved = resolveOptions({}, environment("linux", { CREDCHAIN_CACHE_KEY: encoded }));
      expect(resolved.key.kind).toBe("static");
      if (resolved.key.kind === "static") {
        expect(resolved.key.key.bytes().equals(key)).toBe(true);
        expect(resolved.key.origin).toBe("CREDCHAIN_CACHE_KEY");
      }
    }
    const explicit = randomBytes(32);
    const resolved = resolveOptions(
      { encryptionKey: explicit },
      environment("linux", { CREDCHAIN_CACHE_KEY: key.toString("base64") }),
    );
    expect(resolved.key.kind === "static" && resolved.key.key.bytes().equals(explicit)).toBe(true);
  });

  it("copies the key, so zeroing the caller's buffer does not change it", () => {
    const key = randomBytes(32);
    const copy = Buffer.from(key);
    const resolved = resolveOptions({ encryptionKey: key }, environment("linux"));
    key.fill(0);
    expect(resolved.key.kind === "static" && resolved.key.key.bytes().equals(copy)).toBe(true);
  });

  it("rejects a key that is not 32 bytes with a RangeError that says how to make one", () => {
    expect(() => fileCachePlugin({ encryptionKey: new Uint8Array(16) })).toThrow(RangeError);
    expect(() => fileCachePlugin({ encryptionKey: new Uint8Array(16) })).toThrow(
      /32 bytes.*got 16.*randomBytes\(32\)/,
    );
    expect(() => fileCachePlugin({ encryptionKey: "secret" as unknown as Uint8Array })).toThrow(
      TypeError,
    );
  });

  it("rejects a malformed CREDCHAIN_CACHE_KEY without echoing it", () => {
    const short = randomBytes(16).toString("base64");
    const attempt = (value: string) => () =>
      resolveOptions({}, environment("linux", { CREDCHAIN_CACHE_KEY: value }));
    expect(attempt(short)).toThrow(RangeError);
    expect(attempt(short)).toThrow(/decodes to 16 bytes.*openssl rand -base64 32/);
    expect(attempt("not base64 at all!")).toThrow(/not valid base64/);
    for (const value of [short, "not base64 at all!"]) {
      try {
        attempt(value)();
      } catch (error) {
        expect((error as Error).message).not.toContain(value);
      }
    }
  });

  it("rejects bad lock settings and bad directories", () => {
    expect(() => fileCachePlugin({ lock: { timeoutInMs: -1 } })).toThrow(RangeError);
    expect(() => fileCachePlugin({ lock: { staleInMs: 0 } })).toThrow(/lock\.staleInMs/);
    expect(() => fileCachePlugin({ lock: { timeoutInMs: Number.NaN } })).toThrow(RangeError);
    expect(() => fileCachePlugin({ directory: "" })).toThrow(TypeError);
    expect(() => fileCachePlugin("dir" as never)).toThrow(TypeError);
    expect(
      resolveOptions({ lock: { timeoutInMs: 0 } }, environment("linux")).lock.timeoutInMs,
    ).toBe(0);
  });

  it("keeps a key function for later, without calling it", () => {
    let calls = 0;
    const resolved = resolveOptions(
      {
        encryptionKey: () => {
          calls++;
          return Promise.resolve(randomBytes(32));
        },
      },
      environment("linux"),
    );
    expect(resolved.key.kind).toBe("provider");
    expect(calls).toBe(0);
  });
});
