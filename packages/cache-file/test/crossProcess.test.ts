import { randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runFixture, settle, startFixture, waitForOutput } from "./support/runFixture.js";
import { cacheFileOf } from "./support/cacheFileOf.js";
import { tempDirectory } from "./support/tempDirectory.js";

const KEY = randomBytes(32).toString("base64");
const PROCESSES = 8;
const KEYS_PER_PROCESS = 100;

function allKeys(): string[] {
  return Array.from({ length: PROCESSES }, (_, p) =>
    Array.from({ length: KEYS_PER_PROCESS }, (_, i) => `p${p}-${i}`),
  ).flat();
}

async function writeFromEightProcesses(
  directory: string,
  sequential: boolean,
  lock: { timeoutInMs: number; staleInMs?: number } = { timeoutInMs: 30_000 },
): Promise<void> {
  const results = await Promise.all(
    Array.from({ length: PROCESSES }, (_, p) =>
      runFixture("write-keys.mjs", {
        directory,
        key: KEY,
        prefix: `p${p}`,
        count: KEYS_PER_PROCESS,
        sequential,
        lock,
      }),
    ),
  );
  for (const result of results) expect(result.code, result.stderr).toBe(0);
}

async function readAll(directory: string): Promise<number> {
  const result = await runFixture("read-keys.mjs", { directory, key: KEY, keys: allKeys() });
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { found: number }).found;
}

describe("cross-process", () => {
  it("8 processes writing 100 keys each at once: a fresh process reads all 800", async () => {
    const directory = await tempDirectory();
    await writeFromEightProcesses(directory, false);
    expect(await readAll(directory)).toBe(800);
    expect((await readdir(directory)).sort()).toEqual([cacheFileOf(Buffer.from(KEY, "base64"))]);
  }, 60_000);

  it("8 processes each writing 100 keys one at a time (800 lock round trips): none lost", async () => {
    const directory = await tempDirectory();
    await writeFromEightProcesses(directory, true);
    expect(await readAll(directory)).toBe(800);
  }, 120_000);

  it("8 processes racing to break the lock of a killed writer: none waits for staleInMs, none lost", async () => {
    const directory = await tempDirectory();
    const holder = startFixture("hold-lock.mjs", {
      lockPath: join(directory, `${cacheFileOf(Buffer.from(KEY, "base64"))}.lock`),
    });
    const exited = settle(holder);
    await waitForOutput(holder, "locked");
    holder.kill("SIGKILL");
    await exited;
    // The lock could only have been broken as stale after 10 minutes, and every writer gives up
    // after 30 s: all of them succeeding proves the dead pid was detected, however slow the host.
    await writeFromEightProcesses(directory, false, { timeoutInMs: 30_000, staleInMs: 600_000 });
    expect(await readAll(directory)).toBe(800);
    expect((await readdir(directory)).sort()).toEqual([cacheFileOf(Buffer.from(KEY, "base64"))]);
  }, 60_000);
});
