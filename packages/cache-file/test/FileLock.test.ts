import { randomBytes } from "node:crypto";
import { lstat, open, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { acquireFileLock, type HeldLock } from "../src/FileLock.js";
import { pluginPersistence } from "./support/openTestStore.js";
import { settle, startFixture, waitForOutput } from "./support/runFixture.js";
import { cacheFileOf } from "./support/cacheFileOf.js";
import { tempDirectory } from "./support/tempDirectory.js";

const KEY = randomBytes(32);
const STORE = { name: "msal.cache", partition: "nocae", allowUnencryptedStorage: false } as const;
const token = (value: string) => ({ token: value, expiresOnTimestamp: Date.now() + 3_600_000 });

async function plantLock(lockPath: string, owner: Record<string, unknown>): Promise<void> {
  await writeFile(lockPath, JSON.stringify({ nonce: randomBytes(6).toString("hex"), ...owner }), {
    mode: 0o600,
  });
}

/**
 * Runs `action`; right after its first call of `FileHandle#method` returns, and before `action`
 * goes on, runs `probe`. That puts the probe, deterministically, between two steps of `action`.
 */
async function probeAfterFirst<T>(
  method: "writeFile" | "stat",
  action: () => Promise<T>,
  probe: () => Promise<string>,
): Promise<{ value: T; probed: string | undefined }> {
  const sample = await open(fileURLToPath(import.meta.url), "r");
  const prototype = Object.getPrototypeOf(sample) as Record<
    string,
    (...args: unknown[]) => Promise<unknown>
  >;
  await sample.close();
  const original = prototype[method];
  if (original === undefined) throw new Error(`FileHandle has no ${method}`);
  let probed: string | undefined;
  let fired = false;
  prototype[method] = async function (this: unknown, ...args: unknown[]): Promise<unknown> {
    const result = await original.apply(this, args);
    if (!fired) {
      fired = true;
      probed = await probe();
    }
    return result;
  };
  try {
    return { value: await action(), probed };
  } finally {
    prototype[method] = original;
  }
}

/** Tries once (timeout 0) to take the lock; says what happened. */
function tryAcquireNow(lockPath: string, acquired: HeldLock[]): () => Promise<string> {
  return async () => {
    try {
      acquired.push(await acquireFileLock(lockPath, { timeoutInMs: 0, staleInMs: 60_000 }));
      return "acquired";
    } catch (error) {
      return (error as Error).name;
    }
  };
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
    const lockPath = join(directory, `${cacheFileOf(KEY)}.lock`);
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
    const lockPath = join(directory, `${cacheFileOf(KEY)}.lock`);
    const holder = startFixture("hold-lock.mjs", { lockPath });
    const exited = settle(holder);
    try {
      await waitForOutput(holder, "locked");
      const store = pluginPersistence({
        directory,
        encryptionKey: KEY,
        lock: { staleInMs: 800, timeoutInMs: 5_000 },
      }).open(STORE);
      // Measured from when the holder took the lock, not from when this test saw it do so: the
      // lock must outlive staleInMs however slowly the holder's output arrived.
      const { createdAt } = JSON.parse(await readFile(lockPath, "utf8")) as { createdAt: number };
      await store.set("k", token("after-stale"));
      const age = Date.now() - createdAt;
      expect(age).toBeGreaterThan(800);
      expect(age).toBeLessThan(4_000);
    } finally {
      holder.kill("SIGKILL");
      await exited;
    }
  });

  it("gives up after timeoutInMs with an error naming the lock and its holder", async () => {
    const directory = await tempDirectory();
    const lockPath = join(directory, `${cacheFileOf(KEY)}.lock`);
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
    const lockPath = join(directory, `${cacheFileOf(KEY)}.lock`);
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

  it("an acquirer in this process does not break a lock this process is still writing", async () => {
    // The lock file carries our pid: with its nonce not yet recorded as held, it looked like the
    // leftover of a dead process that had our pid, and was broken: two holders at once.
    const lockPath = join(await tempDirectory(), "x.lock");
    const others: HeldLock[] = [];
    const { value: held, probed } = await probeAfterFirst(
      "writeFile",
      () => acquireFileLock(lockPath, { timeoutInMs: 1_000, staleInMs: 60_000 }),
      tryAcquireNow(lockPath, others),
    );
    expect(probed).toBe("CacheLockTimeoutError");
    expect(others).toEqual([]);
    await held.release();
  });

  it("an acquirer in this process does not break a lock this process is releasing", async () => {
    // It did, and the releaser then deleted the new holder's lock file.
    const directory = await tempDirectory();
    const lockPath = join(directory, "x.lock");
    const held = await acquireFileLock(lockPath, { timeoutInMs: 1_000, staleInMs: 60_000 });
    const others: HeldLock[] = [];
    const { probed } = await probeAfterFirst(
      "stat",
      () => held.release(),
      tryAcquireNow(lockPath, others),
    );
    expect(probed).toBe("CacheLockTimeoutError");
    for (const other of others) {
      // Only reached when the lock was wrongly taken: show what that did to the new holder.
      const stillThere = await lstat(lockPath).then(
        () => true,
        () => false,
      );
      expect(stillThere, "the releaser deleted the new holder's lock").toBe(true);
      await other.release();
    }
    expect(await readdir(directory)).toEqual([]);
  });

  it("breaks a dangling symlink at the lock path at once instead of retrying forever", async () => {
    const directory = await tempDirectory();
    const lockPath = join(directory, "x.lock");
    await symlink(join(directory, "nowhere"), lockPath);
    const held = await acquireFileLock(lockPath, { timeoutInMs: 1_000, staleInMs: 60_000 });
    expect((await lstat(lockPath)).isFile()).toBe(true);
    await held.release();
    expect(await readdir(directory)).toEqual([]);
  });

  it("never follows a symlink at the lock path: its target is neither read nor removed", async () => {
    const directory = await tempDirectory();
    const target = join(directory, "victim.txt");
    await writeFile(target, "not a lock", { mode: 0o644 });
    const lockPath = join(directory, "x.lock");
    await symlink(target, lockPath);
    const held = await acquireFileLock(lockPath, { timeoutInMs: 1_000, staleInMs: 60_000 });
    await held.release();
    expect(await readFile(target, "utf8")).toBe("not a lock");
    expect(await readdir(directory)).toEqual(["victim.txt"]);
  });
});
