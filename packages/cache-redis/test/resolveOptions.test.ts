import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { resolveOptions } from "../src/resolveOptions.js";

describe("resolveOptions", () => {
  it("defaults: local Redis, credchain: prefix, coordination on, 500 ms commands, no key", () => {
    expect(resolveOptions(undefined, {})).toEqual({
      connection: { kind: "url", url: "redis://127.0.0.1:6379" },
      keyPrefix: "credchain:",
      key: { kind: "none" },
      coordination: { leaseInMs: 10_000, waitInMs: 5_000 },
      commandTimeoutInMs: 500,
    });
  });

  it("reads CREDCHAIN_REDIS_URL and CREDCHAIN_CACHE_KEY once; options win", () => {
    const key = randomBytes(32);
    const fromEnv = resolveOptions(undefined, {
      CREDCHAIN_REDIS_URL: "rediss://cache.internal:6380",
      CREDCHAIN_CACHE_KEY: key.toString("base64"),
    });
    expect(fromEnv.connection).toEqual({ kind: "url", url: "rediss://cache.internal:6380" });
    expect(fromEnv.key).toEqual({ kind: "static", bytes: key });
    const explicit = resolveOptions(
      { url: "redis://127.0.0.1:7000", encryptionKey: randomBytes(32) },
      { CREDCHAIN_REDIS_URL: "redis://elsewhere:1" },
    );
    expect(explicit.connection).toEqual({ kind: "url", url: "redis://127.0.0.1:7000" });
  });

  it("coordination: false turns it off", () => {
    expect(resolveOptions({ coordination: false }, {}).coordination).toBe(false);
  });

  it("bad input is a TypeError or RangeError that says what to pass and never echoes secrets", () => {
    expect(() => resolveOptions({ url: "http://cache:6379" }, {})).toThrow(
      /must start with redis:\/\/ or rediss:\/\//,
    );
    expect(() => resolveOptions({ url: "redis://user:hunter2@[bad" }, {})).toThrow(TypeError);
    try {
      resolveOptions({ url: "redis://user:hunter2@[bad" }, {});
    } catch (error) {
      expect((error as Error).message).not.toContain("hunter2");
    }
    expect(() => resolveOptions({ client: {} }, {})).toThrow(/node-redis client/);
    expect(() => resolveOptions({ encryptionKey: randomBytes(16) }, {})).toThrow(RangeError);
    expect(() => resolveOptions({ encryptionKey: "key" as never }, {})).toThrow(TypeError);
    expect(() => resolveOptions({ commandTimeoutInMs: 0 }, {})).toThrow(/commandTimeoutInMs/);
    expect(() => resolveOptions({ coordination: { leaseInMs: -1 } }, {})).toThrow(RangeError);
    expect(() => resolveOptions({ coordination: { waitInMs: 2 ** 31 } }, {})).toThrow(RangeError);
    expect(() => resolveOptions({ keyPrefix: "has space" }, {})).toThrow(/keyPrefix/);
    expect(() => resolveOptions(undefined, { CREDCHAIN_CACHE_KEY: "short" })).toThrow(
      /CREDCHAIN_CACHE_KEY decodes to/,
    );
  });
});

describe("resolveOptions with a caller's client", () => {
  it("takes a cluster client as a client", async () => {
    const { createCluster } = await import("redis");
    const cluster = createCluster({ rootNodes: [{ url: "redis://127.0.0.1:1" }] });
    expect(resolveOptions({ client: cluster }, {}).connection.kind).toBe("client");
  });
});
