import { lstat, open, readdir, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { AccessToken } from "@credchain/core";
import { atomicWriteFile } from "./atomicWriteFile.js";
import {
  decodeCacheFile,
  encodeCacheFile,
  MAX_CACHE_FILE_BYTES,
  type CacheEntries,
  type CacheFileIdentity,
} from "./cacheFileFormat.js";
import { CorruptCacheFileError, type CorruptCacheFileReason } from "./CorruptCacheFileError.js";
import type { EncryptionKey } from "./EncryptionKey.js";
import { errnoCode } from "./errnoCode.js";
import type { FileCacheDiagnostics } from "./FileCacheDiagnostics.js";
import { acquireFileLock, type FileLockOptions, type HeldLock } from "./FileLock.js";
import { isSymlinkRefusal, READ_NO_FOLLOW } from "./noFollow.js";

/**
 * How long a `stat` of the file is trusted before the next `get` stats again, in ms. Another
 * process's write becomes visible at most this much later, which costs at worst one extra token
 * request; in exchange a burst of gets costs one stat, not one each. The engine only reads the
 * store on a memory miss, so this rarely matters either way.
 */
export const STAT_FRESHNESS_IN_MS = 100;

export interface CacheFileOptions {
  /** Absolute path of the cache file. */
  path: string;
  /** `<name>.<partition>`: the label in events and the binding in the ciphertext. */
  store: string;
  /** Encrypt with this key; `undefined` means plaintext (consent was checked by the caller). */
  key: EncryptionKey | undefined;
  lock: FileLockOptions;
  /** For pruning expired entries: the same clock the credentials decide expiry with. */
  now(): number;
  diagnostics: FileCacheDiagnostics;
  /** Called once per distinct unreadable file; the file is then treated as empty. */
  onCorrupt(error: CorruptCacheFileError): void;
  /** Creates the directory again (0700) if it was removed while the process ran. */
  ensureDirectory(): Promise<void>;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/** Changes whenever the file is replaced or rewritten; nanosecond times make reuse implausible. */
function fingerprintOf(info: {
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}): string {
  return `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
}

const ABSENT = "absent";

/**
 * One cache file as this process sees it: a decoded snapshot that is re-read only when the file
 * changed, and a write queue that turns any number of concurrent `set`s into one locked
 * read-merge-write per batch.
 */
export class CacheFile {
  readonly #options: CacheFileOptions;
  readonly #identity: CacheFileIdentity;
  readonly #lockPath: string;
  #snapshot: CacheEntries = new Map();
  #fingerprint: string | undefined;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #loading: Promise<void> | undefined;
  /** Bumped by every write, so a slower unlocked read never overwrites a newer snapshot. */
  #generation = 0;
  #reportedCorrupt: string | undefined;
  /** Changes not yet written; `null` deletes. */
  #pending = new Map<string, AccessToken | null>();
  #waiters: Waiter[] = [];
  /** The batch being written right now, still visible to `get`. */
  #writing: Map<string, AccessToken | null> | undefined;
  #flushing: Promise<void> | undefined;
  #sweptTemporaries = false;

  constructor(options: CacheFileOptions) {
    this.#options = options;
    this.#identity = { store: options.store, path: options.path };
    this.#lockPath = `${options.path}.lock`;
  }

  /** Whether tokens are encrypted at rest. */
  get encrypted(): boolean {
    return this.#options.key !== undefined;
  }

  async get(key: string): Promise<AccessToken | undefined> {
    if (this.#pending.has(key)) return this.#pending.get(key) ?? undefined;
    if (this.#writing?.has(key) === true) return this.#writing.get(key) ?? undefined;
    await this.#refresh();
    return this.#snapshot.get(key);
  }

  /** Resolves when the batch holding this change is on disk; rejects if that write failed. */
  set(key: string, token: AccessToken): Promise<void> {
    const queued = this.#pending.get(key);
    // Two sets of one key in one batch: the later expiry wins, as in the merge with the file.
    if (!queued || token.expiresOnTimestamp >= queued.expiresOnTimestamp) {
      this.#pending.set(key, token);
    }
    return this.#enqueue();
  }

  delete(key: string): Promise<void> {
    this.#pending.set(key, null);
    return this.#enqueue();
  }

  /** Waits until every change queued so far is written (or has failed). */
  async flush(): Promise<void> {
    while (this.#flushing !== undefined) await this.#flushing;
  }

  #enqueue(): Promise<void> {
    const written = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.#flushing ??= this.#flushLoop();
    return written;
  }

  async #flushLoop(): Promise<void> {
    // One turn of the event loop gathers every set issued by callbacks of the same I/O phase.
    await nextTurn();
    for (;;) {
      if (this.#pending.size === 0) {
        // Checked and cleared in one synchronous step: a set arriving later starts a new loop.
        this.#flushing = undefined;
        return;
      }
      const batch = this.#pending;
      const waiters = this.#waiters;
      this.#pending = new Map();
      this.#waiters = [];
      this.#writing = batch;
      try {
        await this.#write(batch);
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        for (const waiter of waiters) waiter.reject(error);
      } finally {
        this.#writing = undefined;
      }
    }
  }

  async #refresh(): Promise<void> {
    if (performance.now() - this.#checkedAt < STAT_FRESHNESS_IN_MS) return;
    // Concurrent gets share one stat (and at most one read).
    this.#loading ??= this.#load().finally(() => {
      this.#loading = undefined;
    });
    await this.#loading;
  }

  async #load(): Promise<void> {
    const generation = this.#generation;
    const checkedAt = performance.now();
    const current = await this.#readIfChanged();
    if (generation !== this.#generation) return;
    if (current !== undefined) {
      this.#snapshot = current.entries;
      this.#fingerprint = current.fingerprint;
    }
    this.#checkedAt = checkedAt;
  }

  /** The file's entries if it changed since the snapshot, else `undefined`. Never throws for damage. */
  async #readIfChanged(): Promise<{ entries: CacheEntries; fingerprint: string } | undefined> {
    const file = this.#options.path;
    let fingerprint: string;
    try {
      // lstat: a symlink put in the file's place is judged by itself, never by its target.
      fingerprint = fingerprintOf(await lstat(file, { bigint: true }));
    } catch (error) {
      if (errnoCode(error) !== "ENOENT") throw error;
      return this.#fingerprint === ABSENT ? undefined : { entries: new Map(), fingerprint: ABSENT };
    }
    if (fingerprint === this.#fingerprint) return undefined;
    let handle;
    try {
      // Anything but a regular file is damage: reported, and replaced by the next write, whose
      // rename replaces a symlink itself, never its target.
      handle = await open(file, READ_NO_FOLLOW);
    } catch (error) {
      const code = errnoCode(error);
      // Replaced between stat and open: the next look sees the new file.
      if (code === "ENOENT") return { entries: new Map(), fingerprint: ABSENT };
      if (isSymlinkRefusal(code)) return this.#damaged("format", fingerprint);
      throw error;
    }
    let bytes: Buffer;
    try {
      // Fingerprint and bytes from one descriptor, so they describe the same file.
      const info = await handle.stat({ bigint: true });
      fingerprint = fingerprintOf(info);
      if (!info.isFile()) return this.#damaged("format", fingerprint);
      // Judged before reading: a huge file is never pulled into memory.
      if (info.size > BigInt(MAX_CACHE_FILE_BYTES)) return this.#damaged("too-large", fingerprint);
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
    this.#options.diagnostics.fileLoads++;
    try {
      return { entries: decodeCacheFile(bytes, this.#identity, this.#options.key), fingerprint };
    } catch (error) {
      if (!(error instanceof CorruptCacheFileError)) throw error;
      return this.#damaged(error, fingerprint);
    } finally {
      bytes.fill(0);
    }
  }

  /** Reports an unusable file once per version of it; its content then counts as empty. */
  #damaged(
    damage: CorruptCacheFileError | CorruptCacheFileReason,
    fingerprint: string,
  ): { entries: CacheEntries; fingerprint: string } {
    if (this.#reportedCorrupt !== fingerprint) {
      this.#reportedCorrupt = fingerprint;
      this.#options.onCorrupt(
        typeof damage === "string" ? new CorruptCacheFileError(this.#options.path, damage) : damage,
      );
    }
    return { entries: new Map(), fingerprint };
  }

  async #write(batch: Map<string, AccessToken | null>): Promise<void> {
    const options = this.#options;
    const lock = await this.#lock();
    options.diagnostics.lockAcquisitions++;
    try {
      // Re-read under the lock: another process may have written since our snapshot, and its
      // entries must survive our write.
      const current = await this.#readIfChanged();
      const merged = new Map(current?.entries ?? this.#snapshot);
      for (const [key, token] of batch) {
        if (token === null) {
          merged.delete(key);
          continue;
        }
        const existing = merged.get(key);
        if (existing === undefined || token.expiresOnTimestamp >= existing.expiresOnTimestamp) {
          merged.set(key, token);
        }
      }
      const now = options.now();
      for (const [key, token] of merged) {
        if (token.expiresOnTimestamp <= now) merged.delete(key);
      }
      await this.#sweepTemporaries();
      await atomicWriteFile(options.path, encodeCacheFile(merged, this.#identity, options.key));
      options.diagnostics.fileWrites++;
      const written = fingerprintOf(await stat(options.path, { bigint: true }));
      this.#generation++;
      this.#snapshot = merged;
      this.#fingerprint = written;
      this.#checkedAt = performance.now();
    } finally {
      await lock.release();
    }
  }

  /**
   * Takes the file's lock. A directory removed while the process runs (a temp cleaner, a user
   * clearing caches) is created again, rather than failing every later write.
   */
  async #lock(): Promise<HeldLock> {
    try {
      return await acquireFileLock(this.#lockPath, this.#options.lock);
    } catch (error) {
      if (errnoCode(error) !== "ENOENT") throw error;
      await this.#options.ensureDirectory();
      return acquireFileLock(this.#lockPath, this.#options.lock);
    }
  }

  /**
   * A writer killed between creating its temporary file and renaming it leaves the file behind.
   * Once per process, under the lock, temporaries older than a stale lock are removed: no live
   * writer can still own one.
   */
  async #sweepTemporaries(): Promise<void> {
    if (this.#sweptTemporaries) return;
    this.#sweptTemporaries = true;
    const directory = dirname(this.#options.path);
    const prefix = `${basename(this.#options.path)}.`;
    const names = await readdir(directory).catch(() => [] as string[]);
    const cutoff = Date.now() - this.#options.lock.staleInMs;
    await Promise.all(
      names
        .filter((name) => name.startsWith(prefix) && name.endsWith(".tmp"))
        .map(async (name) => {
          const file = join(directory, name);
          const info = await stat(file).catch(() => undefined);
          if (info !== undefined && info.mtimeMs < cutoff) await unlink(file).catch(() => {});
        }),
    );
  }
}
