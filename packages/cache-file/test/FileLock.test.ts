import { randomBytes } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { acquireFileLock } from "../src/FileLock.js";
import { pluginPersistence } from "./support/openTestStore.js";
import { settle, startFixture, waitForOutput } from "./support/runFixture.js";
import { tempDirectory } from "./support/tempDirectory.js";

const KEY = randomBytes(32);
const STORE = { name: "msal.cache", partition: "nocae", allowUnencryptedStorage: false } as const;
const token = (value: string) => ({ token: value, expiresOnTimestamp: Date.now() + 3_600_000 });

async function plantLock(lockPath: string, owner: Record<string, unknown>): Promise<void> {
  await writeFile(lockPath, JSON.stringify({ nonce: randomBytes(6).toString("hex"), ...owner }), {
    mode: 0o600,
  });
}

describe("FileLock", () => {
  it("excludes a second holder until the first releases", async () => {
    const directory = await tempDirectory();
    const lockPath = join(directory, "x.lock");
    const first = await acquireFileLock(lockPath, { timeoutInMs: 1_000, staleInMs: 60_000 });
    let secondAcquired = false;
    const second = acquireFileLock(lockPath, { timeoutInMs: 2_000, staleInMs: 60_000 }).then(
      (held) => {
        secondAcquired = true;
        return held;
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(secondAcquired).toBe(false);
    await first.release();
    await (await second).release();
    expect(secondAcquired).toBe(true);
    expect(await readdir(directory)).toEqual([]);
  });

  it("breaks the lock of a writer killed with SIGKILL at once (dead pid), long before staleInMs", async () => {
    const directory = await tempDirectory();
    const persistence = pluginPersistence({
      directory,
      encryptionKey: KEY,
      lock: { staleInMs: 60_000, timeoutInMs: 5_000 },
    });
    const store = persistence.open(STORE);
    const lockPath = join(directory, "msal.cache.nocae.lock");
    const holder = startFixture("hold-lock.mjs", { lockPath });
    const exited = settle(holder);
    await waitForOutput(holder, "locked");
    holder.kill("SIGKILL");
    expect((await exited).signal).toBe("SIGKILL");
    expect(JSON.parse(await readFile(lockPath, "utf8"))).toMatchObject({ pid: holder.pid });

    const started = Date.now();
    await store.set("k", token("after-crash"));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(
      (await pluginPersistence({ directory, encryptionKey: KEY }).open(STORE).get("k"))?.token,
    ).toBe("after-crash");
  });

  it("waits for a live holder, then breaks its lock once older than staleInMs", async () => {
    const directory = await tempDirectory();
    const lockPath = join(directory, "msal.cache.nocae.lock");
    const holder = startFixture("hold-lock.mjs", { lockPath });
    const exited = settle(holder);
    try {
      await waitForOutput(holder, "locked");
      const store = pluginPersistence({
        directory,
        encryptionKey: KEY,
        lock: { staleInMs: 800, timeoutInMs: 5_000 },
      }).open(STORE);
      const started = Date.now();
      await store.set("k", token("after-stale"));
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(500);
      expect(waited).toBeLessThan(4_000);
    } finally {
      holder.kill("SIGKILL");
      await exited;
    }
  });

  it("gives up after timeoutInMs with an error naming the lock and its holder", async () => {
    const directory = await tempDirectory();
    const lockPath = join(directory, "msal.cache.nocae.lock");
    // A live process on another host: neither dead-pid detection nor staleness applies.
    await plantLock(lockPath, { pid: 1, hostname: `not-${hostname()}`, createdAt: Date.now() });
    const store = pluginPersistence({
      directory,
      encryptionKey: KEY,
      lock: { staleInMs: 60_000, timeoutInMs: 300 },
    }).open(STORE);
    const started = Date.now();
    const failure = await store.set("k", token("t")).catch((error: unknown) => error as Error);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(failure).toMatchObject({ name: "CacheLockTimeoutError", lockPath });
    expect((failure as Error).message).toContain(lockPath);
    expect((failure as Error).message).toContain("pid 1 on not-");
    expect((failure as Error).message).toMatch(/lock\.timeoutInMs/);
  });

  it("breaks a lock from another host once it is older than staleInMs", async () => {
    const directory = await tempDirectory();
    const lockPath = join(directory, "msal.cache.nocae.lock");
    await plantLock(lockPath, {
      pid: 1,
      hostname: `not-${hostname()}`,
      createdAt: Date.now() - 20_000,
    });
    const store = pluginPersistence({
      directory,
      encryptionKey: KEY,
      lock: { staleInMs: 10_000, timeoutInMs: 1_000 },
    }).open(STORE);
    await store.set("k", token("t"));
  });

  it("treats an empty lock file (creator died before writing it) by its age", async () => {
    const directory = await tempDirectory();
    const lockPath = join(directory, "x.lock");
    await writeFile(lockPath, "");
    await expect(
      acquireFileLock(lockPath, { timeoutInMs: 200, staleInMs: 60_000 }),
    ).rejects.toMatchObject({
      name: "CacheLockTimeoutError",
    });
    const held = await acquireFileLock(lockPath, { timeoutInMs: 2_000, staleInMs: 300 });
    await held.release();
  });

  it("breaks a leftover lock carrying this process's own pid that it does not hold (pid reuse)", async () => {
    const directory = await tempDirectory();
    const lockPath = join(directory, "x.lock");
    const held = await acquireFileLock(lockPath, { timeoutInMs: 100, staleInMs: 60_000 });
    const content = JSON.parse(await readFile(lockPath, "utf8")) as Record<string, unknown>;
    await held.release();
    await writeFile(lockPath, JSON.stringify({ ...content, nonce: "left-over" }));
    const again = await acquireFileLock(lockPath, { timeoutInMs: 100, staleInMs: 60_000 });
    await again.release();
  });

  it("release() does not remove a lock that someone else took after breaking ours", async () => {
    const directory = await tempDirectory();
    const lockPath = join(directory, "x.lock");
    const ours = await acquireFileLock(lockPath, { timeoutInMs: 100, staleInMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const theirs = await acquireFileLock(lockPath, { timeoutInMs: 1_000, staleInMs: 10 });
    await ours.release();
    expect(JSON.parse(await readFile(lockPath, "utf8"))).toHaveProperty("nonce");
    await theirs.release();
    expect(await readdir(directory)).toEqual([]);
  });
});
