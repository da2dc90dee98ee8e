import { randomBytes } from "node:crypto";
import { readFileSync, readlinkSync } from "node:fs";
import { link, lstat, open, rename, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { CacheLockTimeoutError, type CacheLockHolder } from "./CacheLockTimeoutError.js";
import { errnoCode } from "./errnoCode.js";
import { isSymlinkRefusal, READ_NO_FOLLOW } from "./noFollow.js";

/*
 * A cross-process lock: a file created with O_EXCL ("wx") that records its owner. Every time
 * decision here reads Date.now(), not the injected Clock: a lock's age is a fact shared between
 * processes, and a test clock in one of them must not make it break a live lock or keep a dead one.
 */

/** What a lock file says about its owner. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** Linux: the boot and the PID namespace the pid is meaningful in. */
  bootId?: string;
  pidNamespace?: string;
  /** Date.now() when taken. */
  createdAt: number;
  /** Tells this lock apart from a later one at the same path. */
  nonce: string;
}

export interface FileLockOptions {
  timeoutInMs: number;
  staleInMs: number;
}

/** A lock this process holds. */
export interface HeldLock {
  release(): Promise<void>;
}

interface ObservedLock {
  owner: LockOwner | undefined;
  ino: bigint;
  mtimeMs: number;
  /**
   * Not a regular file (a symlink, a FIFO, a directory): never a lock this package made, so it is
   * broken at once, and never followed or read.
   */
  foreign: boolean;
}

const MAX_SLEEP_IN_MS = 25;
/** A lock file holds a short JSON object; anything beyond this is not read. */
const MAX_LOCK_FILE_BYTES = 4096;

/**
 * Locks held by this process, by nonce: a lock file with our pid but not in here is a leftover of
 * an earlier process that had our pid. Kept on globalThis so two copies of this package in one
 * process (a nested dependency) never take each other's live locks for leftovers.
 */
const heldNonces: Set<string> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for("credchain.cache-file.heldLocks")
] ??= new Set<string>()) as Set<string>;

let self: Pick<LockOwner, "pid" | "hostname" | "bootId" | "pidNamespace"> | undefined;

function selfIdentity(): NonNullable<typeof self> {
  self ??= {
    pid: process.pid,
    hostname: hostname(),
    ...linuxIdentity(),
  };
  return self;
}

/**
 * A pid only means something within one boot and one PID namespace: containers that share a
 * volume and a hostname, or a machine that rebooted, reuse pids. Outside Linux these are unknown
 * and the hostname alone decides.
 */
function linuxIdentity(): Pick<LockOwner, "bootId" | "pidNamespace"> {
  if (process.platform !== "linux") return {};
  const identity: Pick<LockOwner, "bootId" | "pidNamespace"> = {};
  try {
    identity.bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    // Not mounted (some sandboxes): fall back to the hostname alone.
  }
  try {
    identity.pidNamespace = readlinkSync("/proc/self/ns/pid");
  } catch {
    // As above.
  }
  return identity;
}

/**
 * Takes the lock at `lockPath`, waiting up to `timeoutInMs` with short jittered sleeps. A lock
 * whose owner process is gone (same host, boot and PID namespace) is broken at once; any lock
 * older than `staleInMs` is broken whoever owns it, so `staleInMs` must exceed the longest time a
 * holder keeps it (a cache write takes milliseconds).
 */
export async function acquireFileLock(
  lockPath: string,
  options: FileLockOptions,
): Promise<HeldLock> {
  const deadline = Date.now() + options.timeoutInMs;
  for (let attempt = 0; ; attempt++) {
    const held = await tryCreate(lockPath);
    if (held !== undefined) return held;
    const observed = await observe(lockPath);
    if (observed === undefined) {
      // Released between our attempt and our look: try again at once, within the deadline.
      if (Date.now() < deadline) continue;
      throw new CacheLockTimeoutError(lockPath, options.timeoutInMs, options.staleInMs, undefined);
    }
    if (isAbandoned(observed, options.staleInMs)) {
      if (await breakLock(lockPath, observed, options.staleInMs)) continue;
    }
    const now = Date.now();
    if (now >= deadline) {
      throw new CacheLockTimeoutError(
        lockPath,
        options.timeoutInMs,
        options.staleInMs,
        describe(observed, now),
      );
    }
    // Full jitter over a slowly growing window: contenders spread out instead of waking together.
    const window = Math.min(MAX_SLEEP_IN_MS, 2 ** Math.min(attempt, 5));
    await sleep(Math.min(deadline - now, 1 + Math.random() * window));
  }
}

async function tryCreate(lockPath: string): Promise<HeldLock | undefined> {
  let handle;
  try {
    handle = await open(lockPath, "wx", 0o600);
  } catch (error) {
    if (errnoCode(error) === "EEXIST") return undefined;
    throw error;
  }
  const owner: LockOwner = {
    ...selfIdentity(),
    createdAt: Date.now(),
    nonce: randomBytes(12).toString("hex"),
  };
  // Held from before the content is visible: another acquirer in this process that reads our pid
  // with a nonce not in here takes the lock for a dead predecessor's and breaks it.
  heldNonces.add(owner.nonce);
  try {
    try {
      await handle.writeFile(JSON.stringify(owner));
    } finally {
      await handle.close();
    }
  } catch (error) {
    await unlink(lockPath).catch(() => {});
    heldNonces.delete(owner.nonce);
    throw error;
  }
  let released: Promise<void> | undefined;
  return {
    release: () => (released ??= release(lockPath, owner.nonce)),
  };
}

async function release(lockPath: string, nonce: string): Promise<void> {
  try {
    const observed = await observe(lockPath);
    // If our lock was broken as stale and someone else took it, the file is theirs now.
    if (observed?.owner?.nonce !== nonce) return;
    await unlink(lockPath).catch((error: unknown) => {
      if (errnoCode(error) !== "ENOENT") throw error;
    });
  } finally {
    // Only now: until the file is gone, another acquirer in this process must see it as live.
    heldNonces.delete(nonce);
  }
}

async function observe(lockPath: string): Promise<ObservedLock | undefined> {
  let handle;
  try {
    handle = await open(lockPath, READ_NO_FOLLOW);
  } catch (error) {
    const code = errnoCode(error);
    if (code === "ENOENT") return undefined;
    // A symlink: described by itself, never by its target.
    if (isSymlinkRefusal(code)) {
      const info = await lstat(lockPath, { bigint: true }).catch((cause: unknown) => {
        if (errnoCode(cause) === "ENOENT") return undefined;
        throw cause;
      });
      if (info === undefined) return undefined;
      return { owner: undefined, ino: info.ino, mtimeMs: Number(info.mtimeMs), foreign: true };
    }
    throw error;
  }
  try {
    // stat and content from one descriptor, so they describe the same file.
    const info = await handle.stat({ bigint: true });
    const observed = { ino: info.ino, mtimeMs: Number(info.mtimeMs) };
    if (!info.isFile()) return { ...observed, owner: undefined, foreign: true };
    const buffer = Buffer.alloc(MAX_LOCK_FILE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_LOCK_FILE_BYTES, 0);
    const owner = parseOwner(buffer.toString("utf8", 0, bytesRead));
    return { ...observed, owner, foreign: false };
  } finally {
    await handle.close();
  }
}

function parseOwner(text: string): LockOwner | undefined {
  // Empty or partial while its creator is still writing it, or left so by a crash.
  try {
    const value = JSON.parse(text) as Partial<LockOwner> | null;
    if (
      typeof value?.pid === "number" &&
      typeof value.hostname === "string" &&
      typeof value.createdAt === "number" &&
      typeof value.nonce === "string"
    ) {
      return value as LockOwner;
    }
  } catch {
    // Fall through.
  }
  return undefined;
}

function isAbandoned(observed: ObservedLock, staleInMs: number): boolean {
  if (observed.foreign) return true;
  const owner = observed.owner;
  // Without readable content, the file's own time says how old it is.
  const createdAt = owner?.createdAt ?? observed.mtimeMs;
  if (Date.now() - createdAt > staleInMs) return true;
  return owner !== undefined && ownerIsGone(owner);
}

function ownerIsGone(owner: LockOwner): boolean {
  const me = selfIdentity();
  if (owner.hostname !== me.hostname) return false;
  if (owner.bootId !== me.bootId || owner.pidNamespace !== me.pidNamespace) return false;
  if (owner.pid === me.pid) return !heldNonces.has(owner.nonce);
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else, so it is alive.
    return errnoCode(error) === "ESRCH";
  }
}

/**
 * Removes an abandoned lock without ever removing a live one. Breakers take a second lock
 * (`.break`) so only one acts at a time; under it the lock is re-read, and only the very lock
 * judged abandoned (same nonce and inode) is moved aside and deleted. If what was moved aside
 * turns out to be a fresh lock (its owner released and someone re-took it in between), it is put
 * back with link(), which never overwrites. Returns whether the caller should retry at once.
 */
async function breakLock(
  lockPath: string,
  observed: ObservedLock,
  staleInMs: number,
): Promise<boolean> {
  const breakPath = `${lockPath}.break`;
  let handle;
  try {
    handle = await open(breakPath, "wx", 0o600);
  } catch (error) {
    if (errnoCode(error) !== "EEXIST") throw error;
    // A breaker that died mid-break (a window of microseconds) leaves this behind.
    const info = await stat(breakPath).catch(() => undefined);
    if (info !== undefined && Date.now() - info.mtimeMs > staleInMs) {
      await unlink(breakPath).catch(() => {});
    }
    return false;
  }
  await handle.close();
  try {
    const current = await observe(lockPath);
    if (current === undefined) return true;
    if (!sameLock(current, observed)) return true;
    const aside = `${lockPath}.${randomBytes(6).toString("hex")}.broken`;
    try {
      await rename(lockPath, aside);
    } catch (error) {
      if (errnoCode(error) === "ENOENT") return true;
      throw error;
    }
    const moved = await observe(aside);
    if (moved !== undefined && !sameLock(moved, observed)) {
      await link(aside, lockPath).catch(() => {});
    }
    await unlink(aside).catch(() => {});
    return true;
  } finally {
    await unlink(breakPath).catch(() => {});
  }
}

function sameLock(a: ObservedLock, b: ObservedLock): boolean {
  return (
    a.ino === b.ino &&
    a.foreign === b.foreign &&
    a.owner?.nonce === b.owner?.nonce &&
    a.mtimeMs === b.mtimeMs
  );
}

function describe(observed: ObservedLock, now: number): CacheLockHolder {
  const owner = observed.owner;
  const holder: CacheLockHolder = { ageInMs: now - (owner?.createdAt ?? observed.mtimeMs) };
  if (owner !== undefined) {
    holder.pid = owner.pid;
    holder.hostname = owner.hostname;
  }
  return holder;
}
