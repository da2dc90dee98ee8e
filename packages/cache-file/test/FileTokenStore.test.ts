import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmod,
  copyFile,
  lstat,
  mkdir,
  readFile,
  rm,
  stat,
  symlink,
  truncate,
  writeFile,
} from "node:fs/promises";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { inspect } from "node:util";
import { credentialEvents, type AccessToken, type CacheErrorEvent } from "@credchain/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FileCachePersistence } from "../src/FileCachePersistence.js";
import { resolveOptions } from "../src/resolveOptions.js";
import { cacheFileOf } from "./support/cacheFileOf.js";
import { MemoryKeyring } from "./support/MemoryKeyring.js";
import { pluginPersistence, recordingLogger } from "./support/openTestStore.js";
import { runFixture } from "./support/runFixture.js";
import { tempDirectory } from "./support/tempDirectory.js";

const KEY = randomBytes(32);
const OTHER_KEY = randomBytes(32);
const HOUR = 3_600_000;
/** A directory these tests never touch on disk. */
const NEVER_CREATED = join(tmpdir(), "credchain-never-created");
const STORE = { name: "msal.cache", partition: "nocae", allowUnencryptedStorage: false } as const;
/** The files of STORE (and its cae partition) for KEY, and for a process without a key. */
const FILE = cacheFileOf(KEY);
const CAE_FILE = cacheFileOf(KEY, "msal.cache", "cae");
const PLAIN_FILE = cacheFileOf(undefined);

function token(value: string, expiresInMs = HOUR): AccessToken {
  return { token: value, expiresOnTimestamp: Date.now() + expiresInMs, tokenType: "Bearer" };
}

/** No encryption key anywhere: not configured, not in the environment, keyring down. */
function keylessPersistence(directory: string, logger = recordingLogger()): FileCachePersistence {
  const options = resolveOptions(
    { directory },
    { platform: process.platform, env: {}, homedir: () => directory },
  );
  return new FileCachePersistence(options, {
    keyring: new MemoryKeyring({ unavailable: "no Secret Service on the session bus" }),
    logger: () => logger,
  });
}

function collectCacheErrors(): CacheErrorEvent[] {
  const events: CacheErrorEvent[] = [];
  const listener = (event: CacheErrorEvent): void => {
    events.push(event);
  };
  credentialEvents.on("cache:error", listener);
  cleanups.push(() => credentialEvents.off("cache:error", listener));
  return events;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function waitPastStatWindow(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 120));
}

describe("FileTokenStore", () => {
  it("round-trips tokens through the file for a fresh reader", async () => {
    const directory = await tempDirectory();
    const writer = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    await writer.set("k1", token("secret-token-1"));
    await writer.set("k2", {
      token: "secret-token-2",
      expiresOnTimestamp: Date.now() + HOUR,
      refreshAfterTimestamp: Date.now() + 60_000,
    });

    const reader = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    expect((await reader.get("k1"))?.token).toBe("secret-token-1");
    const second = await reader.get("k2");
    expect(second?.token).toBe("secret-token-2");
    expect(second?.refreshAfterTimestamp).toBeTypeOf("number");
    expect(await reader.get("missing")).toBeUndefined();
  });

  it("keeps partitions in separate files", async () => {
    const directory = await tempDirectory();
    const persistence = pluginPersistence({ directory, encryptionKey: KEY });
    await persistence.open(STORE).set("k", token("nocae-token"));
    await persistence.open({ ...STORE, partition: "cae" }).set("k", token("cae-token"));
    const fresh = pluginPersistence({ directory, encryptionKey: KEY });
    expect((await fresh.open(STORE).get("k"))?.token).toBe("nocae-token");
    expect((await fresh.open({ ...STORE, partition: "cae" }).get("k"))?.token).toBe("cae-token");
    expect((await stat(join(directory, FILE))).isFile()).toBe(true);
    expect((await stat(join(directory, CAE_FILE))).isFile()).toBe(true);
  });

  it("never writes token bytes, keys or timestamps in the clear when encrypted", async () => {
    const directory = await tempDirectory();
    const store = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    const secret = `eyJ0eXAiOiJKV1Qi.${randomBytes(24).toString("hex")}`;
    await store.set("https://login.example|client-id|tenant|scope|nocae", token(secret));
    const bytes = await readFile(join(directory, FILE));
    expect(bytes.subarray(0, 4).toString("latin1")).toBe("CCTC");
    const text = bytes.toString("latin1");
    for (const needle of [
      secret,
      secret.slice(0, 12),
      "client-id",
      "tenant",
      "Bearer",
      "expires",
      KEY.toString("hex"),
    ]) {
      expect(text).not.toContain(needle);
    }
    expect(bytes.includes(KEY)).toBe(false);
  });

  it("uses a new IV for every write", async () => {
    const directory = await tempDirectory();
    const store = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    const value = token("same");
    await store.set("k", value);
    const first = await readFile(join(directory, FILE));
    await store.set("k", value);
    const second = await readFile(join(directory, FILE));
    expect(first.subarray(6, 18).equals(second.subarray(6, 18))).toBe(false);
  });

  it.each([
    ["the version byte", 4],
    ["the IV", 10],
    ["the ciphertext", 30],
    ["the auth tag", -3],
  ])("detects a flipped byte in %s, reports it once and replaces the file", async (_, offset) => {
    const directory = await tempDirectory();
    const file = join(directory, FILE);
    await pluginPersistence({ directory, encryptionKey: KEY })
      .open(STORE)
      .set("k", token("old-secret"));
    const bytes = await readFile(file);
    const index = offset < 0 ? bytes.length + offset : offset;
    bytes[index] = (bytes[index] ?? 0) ^ 0x01;
    await writeFile(file, bytes);

    const errors = collectCacheErrors();
    const logger = recordingLogger();
    const store = pluginPersistence({ directory, encryptionKey: KEY }, logger).open(STORE);
    expect(await store.get("k")).toBeUndefined();
    expect(await store.get("other")).toBeUndefined();
    expect(errors).toHaveLength(1);
    const [event] = errors;
    expect(event?.store).toBe("msal.cache.nocae");
    expect(event?.operation).toBe("read");
    expect((event?.error as Error).name).toBe("CorruptCacheFileError");
    expect(JSON.stringify(event)).not.toContain("old-secret");
    expect(inspect(event, { depth: 5 })).not.toContain("old-secret");
    expect(logger.lines.filter((line) => line.level === "warn")).toHaveLength(1);

    await store.set("k2", token("new-secret"));
    const fresh = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    expect((await fresh.get("k2"))?.token).toBe("new-secret");
    expect(await fresh.get("k")).toBeUndefined();
    expect(errors).toHaveLength(1);
  });

  it.each([
    ["to half its length", (size: number) => Math.floor(size / 2), "authentication"],
    ["inside the header", () => 3, "format"],
    ["to nothing", () => 0, "format"],
  ])("treats a file truncated %s as empty", async (_, length, reason) => {
    const directory = await tempDirectory();
    const file = join(directory, FILE);
    await pluginPersistence({ directory, encryptionKey: KEY }).open(STORE).set("k", token("t"));
    await truncate(file, length((await stat(file)).size));
    const errors = collectCacheErrors();
    const store = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    expect(await store.get("k")).toBeUndefined();
    expect(errors.map((event) => (event.error as { reason?: string }).reason)).toEqual([reason]);
    await store.set("k", token("again"));
    expect(
      (await pluginPersistence({ directory, encryptionKey: KEY }).open(STORE).get("k"))?.token,
    ).toBe("again");
  });

  it("reports a file that fails authentication and does not leak the key", async () => {
    const directory = await tempDirectory();
    await pluginPersistence({ directory, encryptionKey: KEY }).open(STORE).set("k", token("t"));
    // Another key's bytes under this key's name: only damage or tampering puts them there.
    await copyFile(join(directory, FILE), join(directory, cacheFileOf(OTHER_KEY)));
    const errors = collectCacheErrors();
    const store = pluginPersistence({ directory, encryptionKey: OTHER_KEY }).open(STORE);
    expect(await store.get("k")).toBeUndefined();
    expect(errors).toHaveLength(1);
    const message = (errors[0]?.error as Error).message;
    expect(message).toMatch(/different key/);
    for (const key of [KEY, OTHER_KEY]) {
      expect(message).not.toContain(key.toString("base64"));
      expect(message).not.toContain(key.toString("hex"));
    }
  });

  it("rejects a file copied over another store's file (name and partition are authenticated)", async () => {
    const directory = await tempDirectory();
    await pluginPersistence({ directory, encryptionKey: KEY })
      .open(STORE)
      .set("k", token("nocae-only"));
    await copyFile(join(directory, FILE), join(directory, CAE_FILE));
    await copyFile(join(directory, FILE), join(directory, cacheFileOf(KEY, "other")));
    const errors = collectCacheErrors();
    const persistence = pluginPersistence({ directory, encryptionKey: KEY });
    expect(await persistence.open({ ...STORE, partition: "cae" }).get("k")).toBeUndefined();
    expect(await persistence.open({ ...STORE, name: "other" }).get("k")).toBeUndefined();
    expect(errors.map((event) => event.store)).toEqual(["msal.cache.cae", "other.nocae"]);
  });

  it("without any key, refuses to store unless allowUnencryptedStorage, naming both ways out", async () => {
    const directory = await tempDirectory();
    const store = keylessPersistence(directory).open(STORE);
    const failure = store.get("k");
    await expect(failure).rejects.toMatchObject({ name: "CredentialUnavailableError" });
    const message = ((await failure.catch((error: unknown) => error)) as Error).message;
    expect(message).toContain("encryptionKey");
    expect(message).toContain("CREDCHAIN_CACHE_KEY");
    expect(message).toContain("allowUnencryptedStorage: true");
    expect(message).toContain("no Secret Service on the session bus");
    await expect(store.set("k", token("t"))).rejects.toMatchObject({
      name: "CredentialUnavailableError",
    });
    await expect(stat(join(directory, PLAIN_FILE))).rejects.toMatchObject({
      code: "ENOENT",
    });
  });

  it("stores plaintext only with consent, and warns once per file through the registered logger", async () => {
    const directory = await tempDirectory();
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      if ((warning as { code?: string }).code === "CREDCHAIN_CACHE_UNENCRYPTED")
        warnings.push(warning);
    };
    process.on("warning", onWarning);
    cleanups.push(() => process.off("warning", onWarning));
    const logger = recordingLogger();
    const persistence = keylessPersistence(directory, logger);
    const store = persistence.open({ ...STORE, allowUnencryptedStorage: true });
    await store.set("k", token("plain-token"));
    await persistence.open({ ...STORE, allowUnencryptedStorage: true }).get("k");
    await new Promise((resolve) => setImmediate(resolve));
    const unencrypted = logger.lines.filter((line) => /UNENCRYPTED/.test(line.message));
    expect(unencrypted).toEqual([
      { level: "warn", message: expect.stringContaining("allowUnencryptedStorage is true") },
    ]);
    expect(unencrypted[0]?.message).not.toContain("plain-token");
    // The logger got it, so it is not repeated on stderr as a process warning.
    expect(warnings).toHaveLength(0);

    const bytes = await readFile(join(directory, PLAIN_FILE));
    expect(bytes.subarray(0, 6).equals(Buffer.from([0x43, 0x43, 0x54, 0x43, 1, 0]))).toBe(true);
    expect(bytes.toString("utf8")).toContain("plain-token");
    expect(
      (
        await keylessPersistence(directory)
          .open({ ...STORE, allowUnencryptedStorage: true })
          .get("k")
      )?.token,
    ).toBe("plain-token");
    // A store of the same name without consent still refuses, even though the file exists.
    await expect(keylessPersistence(directory).open(STORE).get("k")).rejects.toMatchObject({
      name: "CredentialUnavailableError",
    });
  });

  it("with no logger registered, says it as a process warning instead (never silently)", async () => {
    const directory = await tempDirectory();
    const options = resolveOptions(
      { directory },
      { platform: process.platform, env: {}, homedir: () => directory },
    );
    const persistence = new FileCachePersistence(options, {
      keyring: new MemoryKeyring({ unavailable: "no Secret Service on the session bus" }),
      logger: () => undefined,
    });
    // Captured, so the test output carries no alarming warning; the call itself is the behaviour.
    const emitWarning = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    cleanups.push(() => emitWarning.mockRestore());
    await persistence
      .open({ ...STORE, allowUnencryptedStorage: true })
      .set("k", token("plain-token"));
    expect(emitWarning).toHaveBeenCalledTimes(1);
    const [message, options_] = emitWarning.mock.calls[0] as unknown as [string, { code: string }];
    expect(message).toContain("UNENCRYPTED");
    expect(message).not.toContain("plain-token");
    expect(options_.code).toBe("CREDCHAIN_CACHE_UNENCRYPTED");
  });

  it("does not trust a plaintext file once a key is configured (no token injection)", async () => {
    const directory = await tempDirectory();
    const logger = recordingLogger();
    await keylessPersistence(directory, logger)
      .open({ ...STORE, allowUnencryptedStorage: true })
      .set("k", token("planted"));
    // Planting the file stored plaintext on purpose, and said so.
    expect(logger.lines.some((line) => /UNENCRYPTED/.test(line.message))).toBe(true);
    // Renamed into the keyed file's place: a plaintext file there must still not be trusted.
    await copyFile(join(directory, PLAIN_FILE), join(directory, FILE));
    const errors = collectCacheErrors();
    const store = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    expect(await store.get("k")).toBeUndefined();
    expect((errors[0]?.error as { reason?: string }).reason).toBe("unencrypted-with-key");
  });

  it("batches 1,000 concurrent sets into one lock acquisition and one write", async () => {
    const directory = await tempDirectory();
    const persistence = pluginPersistence({ directory, encryptionKey: KEY });
    const store = persistence.open(STORE);
    await Promise.all(Array.from({ length: 1000 }, (_, i) => store.set(`k${i}`, token(`t${i}`))));
    expect(persistence.diagnostics.lockAcquisitions).toBe(1);
    expect(persistence.diagnostics.fileWrites).toBe(1);
    const fresh = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    for (const i of [0, 499, 999]) expect((await fresh.get(`k${i}`))?.token).toBe(`t${i}`);
  });

  it("batches sets that arrive while a write is in progress into the next write", async () => {
    const directory = await tempDirectory();
    const persistence = pluginPersistence({ directory, encryptionKey: KEY });
    const store = persistence.open(STORE);
    await store.get("warm-up");
    const first = store.set("a", token("a"));
    while (persistence.diagnostics.lockAcquisitions === 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    // The first batch is being (or has been) written; these 200 form one more batch.
    const rest = Array.from({ length: 200 }, (_, i) => store.set(`b${i}`, token(`b${i}`)));
    await Promise.all([first, ...rest]);
    expect(persistence.diagnostics.lockAcquisitions).toBe(2);
  });

  it("re-reads the file only when it changed", async () => {
    const directory = await tempDirectory();
    const reader = pluginPersistence({ directory, encryptionKey: KEY });
    const store = reader.open(STORE);
    await pluginPersistence({ directory, encryptionKey: KEY }).open(STORE).set("k", token("v1"));
    expect((await store.get("k"))?.token).toBe("v1");
    expect(reader.diagnostics.fileLoads).toBe(1);
    for (let round = 0; round < 3; round++) {
      await Promise.all(Array.from({ length: 50 }, () => store.get("k")));
      await waitPastStatWindow();
    }
    expect(reader.diagnostics.fileLoads).toBe(1);

    await pluginPersistence({ directory, encryptionKey: KEY })
      .open(STORE)
      .set("k", token("v2", 2 * HOUR));
    await waitPastStatWindow();
    expect((await store.get("k"))?.token).toBe("v2");
    expect(reader.diagnostics.fileLoads).toBe(2);
  });

  it("merges with entries other writers added, keeping the later expiry per key", async () => {
    const directory = await tempDirectory();
    const a = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    const b = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    await a.get("warm-up");
    await a.set("shared", token("newer", 2 * HOUR));
    await b.set("only-b", token("b"));
    // b writes an older token for the same key after a: a's later-expiring one must survive.
    await b.set("shared", token("older", HOUR));
    await a.set("only-a", token("a"));
    const fresh = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    expect((await fresh.get("shared"))?.token).toBe("newer");
    expect((await fresh.get("only-a"))?.token).toBe("a");
    expect((await fresh.get("only-b"))?.token).toBe("b");
  });

  it("prunes expired entries on write", async () => {
    const directory = await tempDirectory();
    const store = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    await store.set("expired", token("gone", -1_000));
    await store.set("valid", token("kept"));
    const fresh = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    expect(await fresh.get("expired")).toBeUndefined();
    expect((await fresh.get("valid"))?.token).toBe("kept");
  });

  it("deletes entries", async () => {
    const directory = await tempDirectory();
    const store = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    await store.set("k", token("t"));
    await store.delete?.("k");
    expect(await store.get("k")).toBeUndefined();
    expect(
      await pluginPersistence({ directory, encryptionKey: KEY }).open(STORE).get("k"),
    ).toBeUndefined();
  });

  it("close() flushes writes nobody awaited, and is idempotent", async () => {
    const directory = await tempDirectory();
    const store = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    const pending = Array.from({ length: 10 }, (_, i) => store.set(`k${i}`, token(`t${i}`)));
    const closing = store.close?.();
    expect(store.close?.()).toBe(closing);
    await closing;
    const fresh = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    expect((await fresh.get("k9"))?.token).toBe("t9");
    await Promise.all(pending);
    await expect(store.set("late", token("late"))).rejects.toThrow(/closed/);
  });

  it("close() of a store that was never used does nothing", async () => {
    const directory = join(await tempDirectory(), "never-created");
    const store = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    await store.close?.();
    await expect(stat(directory)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("creates the directory 0700 and files 0600 even under umask 0", async () => {
    const directory = join(await tempDirectory(), "nested", "cache");
    const result = await runFixture("write-keys.mjs", {
      directory,
      key: KEY.toString("base64"),
      prefix: "p",
      count: 3,
      umask: 0,
    });
    expect(result.code, result.stderr).toBe(0);
    expect((await stat(directory)).mode & 0o777).toBe(0o700);
    expect((await stat(join(directory, FILE))).mode & 0o777).toBe(0o600);
  });

  it("narrows a directory and file that were made world-readable", async () => {
    const directory = join(await tempDirectory(), "cache");
    await mkdir(directory);
    await chmod(directory, 0o777);
    const file = join(directory, FILE);
    await pluginPersistence({ directory, encryptionKey: KEY }).open(STORE).set("k", token("t"));
    await chmod(file, 0o666);
    await chmod(directory, 0o755);
    const store = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    expect((await store.get("k"))?.token).toBe("t");
    expect((await stat(directory)).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it("restores 0600 on a cache file whose mode was cleared to 000", async () => {
    const directory = await tempDirectory();
    const file = join(directory, FILE);
    await pluginPersistence({ directory, encryptionKey: KEY }).open(STORE).set("k", token("t"));
    await chmod(file, 0o000);
    const store = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    expect((await store.get("k"))?.token).toBe("t");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it("never follows a symlink planted as the cache file: target neither chmod-ed nor read", async () => {
    const directory = await tempDirectory();
    const victim = join(directory, "victim.txt");
    await writeFile(victim, "someone else's file");
    await chmod(victim, 0o644);
    await symlink(victim, join(directory, FILE));
    const errors = collectCacheErrors();
    const store = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    expect(await store.get("k")).toBeUndefined();
    expect((await stat(victim)).mode & 0o777).toBe(0o644);
    expect(errors.map((event) => (event.error as { reason?: string }).reason)).toEqual(["format"]);
    // The next write replaces the link itself, never its target.
    await store.set("k", token("t"));
    expect((await lstat(join(directory, FILE))).isFile()).toBe(true);
    expect(await readFile(victim, "utf8")).toBe("someone else's file");
    expect(
      (await pluginPersistence({ directory, encryptionKey: KEY }).open(STORE).get("k"))?.token,
    ).toBe("t");
  });

  it.skipIf(process.platform === "win32")(
    "reports a FIFO in the cache file's place instead of hanging on it",
    async () => {
      const directory = await tempDirectory();
      execFileSync("mkfifo", [join(directory, FILE)]);
      const errors = collectCacheErrors();
      const store = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
      expect(await store.get("k")).toBeUndefined();
      expect(errors.map((event) => (event.error as { reason?: string }).reason)).toEqual([
        "format",
      ]);
      await store.set("k", token("t"));
      expect((await lstat(join(directory, FILE))).isFile()).toBe(true);
    },
  );

  it("creates the directory again when it is removed while the process runs", async () => {
    const directory = join(await tempDirectory(), "cache");
    const store = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    await store.set("k1", token("t1"));
    await rm(directory, { recursive: true });
    await store.set("k2", token("t2"));
    expect((await stat(directory)).mode & 0o777).toBe(0o700);
    const fresh = pluginPersistence({ directory, encryptionKey: KEY }).open(STORE);
    expect((await fresh.get("k2"))?.token).toBe("t2");
  });

  it("never shows the key when the persistence or its options are inspected", () => {
    const persistence = pluginPersistence({ directory: NEVER_CREATED, encryptionKey: KEY });
    const shown =
      inspect(persistence, { depth: 10, showHidden: true }) + JSON.stringify(persistence);
    expect(shown).not.toContain(KEY.toString("hex"));
    expect(shown).not.toContain(KEY.toString("base64"));
    const options = resolveOptions({ directory: NEVER_CREATED, encryptionKey: KEY });
    const shownOptions =
      inspect(options, { depth: 10, showHidden: true }) + JSON.stringify(options);
    expect(shownOptions).not.toContain(KEY.toString("hex"));
    expect(shownOptions).toContain("[EncryptionKey]");
  });

  it("rejects cache names that could become paths", () => {
    const persistence = pluginPersistence({ directory: NEVER_CREATED, encryptionKey: KEY });
    for (const name of ["../escape", "a/b", "..", "", "a b"]) {
      expect(() => persistence.open({ ...STORE, name })).toThrow(TypeError);
    }
  });
});
