import { randomBytes } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KEYRING_SERVICE, KeyResolver } from "../src/KeyResolver.js";
import { napiKeyring } from "../src/KeyringAdapter.js";
import { FileCachePersistence } from "../src/FileCachePersistence.js";
import { resolveOptions } from "../src/resolveOptions.js";
import { MemoryKeyring } from "./support/MemoryKeyring.js";
import { tempDirectory } from "./support/tempDirectory.js";

const LOCK = { timeoutInMs: 5_000, staleInMs: 10_000 };

/** A resolver that takes its key from `keyring`, as the plugin does with no key configured. */
function keyringResolver(directory: string, keyring: MemoryKeyring): KeyResolver {
  return new KeyResolver({ source: { kind: "keyring" }, directory, lock: LOCK, keyring });
}

describe("KeyResolver (keyring behind its adapter interface)", () => {
  it("creates a 32-byte key in the keyring on first use and reuses it afterwards", async () => {
    const directory = await tempDirectory();
    const keyring = new MemoryKeyring();
    const first = await keyringResolver(directory, keyring).resolve("app");
    expect(first.key?.bytes()).toHaveLength(32);
    const stored = keyring.entries.get(`${KEYRING_SERVICE}/cache-key:app`);
    expect(Buffer.from(stored ?? "", "base64").equals(first.key?.bytes() ?? Buffer.alloc(0))).toBe(
      true,
    );

    const second = await keyringResolver(directory, keyring).resolve("app");
    expect(second.key?.bytes().equals(first.key?.bytes() ?? Buffer.alloc(0))).toBe(true);
    expect(keyring.sets).toBe(1);
    // One key per cache name.
    const other = await keyringResolver(directory, keyring).resolve("other");
    expect(other.key?.bytes().equals(first.key?.bytes() ?? Buffer.alloc(0))).toBe(false);
  });

  it("lets racing resolvers (separate processes' view) agree on one key", async () => {
    const directory = await tempDirectory();
    const keyring = new MemoryKeyring();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => keyringResolver(directory, keyring).resolve("app")),
    );
    expect(keyring.sets).toBe(1);
    const keys = new Set(results.map((result) => result.key?.bytes().toString("hex")));
    expect(keys.size).toBe(1);
  });

  it("does not mistake a busy key-creation lock for a missing keyring (retried, not remembered)", async () => {
    const directory = await tempDirectory();
    const keyring = new MemoryKeyring();
    const lockPath = join(directory, "app.key.lock");
    await writeFile(
      lockPath,
      JSON.stringify({ pid: 1, hostname: `not-${hostname()}`, createdAt: Date.now(), nonce: "n" }),
    );
    const resolver = new KeyResolver({
      source: { kind: "keyring" },
      directory,
      lock: { timeoutInMs: 50, staleInMs: 60_000 },
      keyring,
    });
    await expect(resolver.resolve("app")).rejects.toMatchObject({ name: "CacheLockTimeoutError" });
    await rm(lockPath);
    expect((await resolver.resolve("app")).key?.bytes()).toHaveLength(32);
  });

  it("reports an unusable keyring as a reason, not an exception", async () => {
    const directory = await tempDirectory();
    const keyring = new MemoryKeyring({ unavailable: "org.freedesktop.DBus.Error.ServiceUnknown" });
    const resolution = await keyringResolver(directory, keyring).resolve("app");
    expect(resolution.key).toBeUndefined();
    expect(resolution.reason).toMatch(/OS keyring is unavailable.*ServiceUnknown/);
  });

  it("refuses a malformed keyring entry instead of overwriting it", async () => {
    const directory = await tempDirectory();
    const keyring = new MemoryKeyring({
      entries: new Map([[`${KEYRING_SERVICE}/cache-key:app`, "c2hvcnQ="]]),
    });
    const resolution = await keyringResolver(directory, keyring).resolve("app");
    expect(resolution.key).toBeUndefined();
    expect(resolution.reason).toMatch(/not a base64 32-byte key; delete it/);
    expect(keyring.sets).toBe(0);
  });

  it("calls a key function once, and turns its failure into CredentialUnavailableError (retried later)", async () => {
    const directory = await tempDirectory();
    let calls = 0;
    const key = randomBytes(32);
    const resolver = new KeyResolver({
      source: {
        kind: "provider",
        provide: () => {
          calls++;
          return calls === 1
            ? Promise.reject(new Error("vault unreachable"))
            : Promise.resolve(key);
        },
      },
      directory,
      lock: LOCK,
      keyring: new MemoryKeyring(),
    });
    await expect(resolver.resolve("app")).rejects.toMatchObject({
      name: "CredentialUnavailableError",
    });
    expect((await resolver.resolve("app")).key?.bytes().equals(key)).toBe(true);
    await resolver.resolve("other");
    expect(calls).toBe(2);
  });

  it("rejects a key function that resolves to the wrong size", async () => {
    const resolver = new KeyResolver({
      source: { kind: "provider", provide: () => Promise.resolve(new Uint8Array(31)) },
      directory: await tempDirectory(),
      lock: LOCK,
      keyring: new MemoryKeyring(),
    });
    await expect(resolver.resolve("app")).rejects.toThrow(/32-byte Uint8Array; got 31 bytes/);
  });

  it("the keyring-backed store round-trips tokens through the plugin", async () => {
    const directory = await tempDirectory();
    const keyring = new MemoryKeyring();
    const options = resolveOptions(
      { directory },
      { platform: "linux", env: {}, homedir: () => directory },
    );
    const store = () =>
      new FileCachePersistence(options, { keyring }).open({
        name: "app",
        partition: "nocae",
        allowUnencryptedStorage: false,
      });
    await store().set("k", { token: "from-keyring", expiresOnTimestamp: Date.now() + 60_000 });
    expect((await store().get("k"))?.token).toBe("from-keyring");
  });

  it.skipIf(process.platform !== "linux" || process.env["DBUS_SESSION_BUS_ADDRESS"] !== undefined)(
    "@napi-rs/keyring without a D-Bus session is an unusable keyring, not a crash (and no kernel-keyring fallback)",
    async () => {
      const directory = await tempDirectory();
      const resolution = await new KeyResolver({
        source: { kind: "keyring" },
        directory,
        lock: LOCK,
        keyring: napiKeyring(),
      }).resolve("credchain-test-no-dbus");
      expect(resolution.key).toBeUndefined();
      expect(resolution.reason).toMatch(/OS keyring is unavailable \(@napi-rs\/keyring: .*DBus/i);
    },
  );
});
