import type { AccessToken, TokenCacheStore } from "@credchain/core";
import type { CacheFile } from "./CacheFile.js";

/**
 * One opened store: a name and partition as one credential sees it. Opening is free; the first
 * `get` or `set` resolves the key and the file (and throws `CredentialUnavailableError` when the
 * cache cannot be used at all, so the error reaches `getToken`).
 */
export class FileTokenStore implements TokenCacheStore {
  readonly #prepare: () => Promise<CacheFile>;
  /** Rejects on `close()`: reads still waiting for the file (a key not yet resolved) give up. */
  readonly #closed: Promise<never>;
  #rejectClosed: (error: Error) => void = () => {};
  /** Writes accepted before `close()`, which waits for them. */
  readonly #writes = new Set<Promise<void>>();
  #file: Promise<CacheFile> | undefined;
  #opened: CacheFile | undefined;
  #closing: Promise<void> | undefined;

  /** `prepare` is called on first use and again after a failure, never concurrently. */
  constructor(prepare: () => Promise<CacheFile>) {
    this.#prepare = prepare;
    this.#closed = new Promise<never>((_, reject) => {
      this.#rejectClosed = reject;
    });
    // Only reads racing it observe it; without any, closing must not be an unhandled rejection.
    this.#closed.catch(() => {});
  }

  async get(key: string): Promise<AccessToken | undefined> {
    const ready = this.#ready();
    // Racing only while the file is being opened: once open, `#ready` answers at once.
    return (await (this.#opened === undefined ? Promise.race([ready, this.#closed]) : ready)).get(
      key,
    );
  }

  set(key: string, token: AccessToken): Promise<void> {
    return this.#track(async () => (await this.#ready()).set(key, token));
  }

  delete(key: string): Promise<void> {
    return this.#track(async () => (await this.#ready()).delete(key));
  }

  /**
   * Writes whatever is still queued, including writes accepted before `close()` whose file was
   * still being opened. Idempotent: the same promise every time. It always settles: opening a
   * file is bounded (the key's deadline, the lock's timeout), and reads still waiting for the
   * file give up at once.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#rejectClosed(
        new Error("credchain: the token cache store was closed before its file could be opened."),
      );
      await Promise.allSettled(this.#writes);
      await this.#opened?.flush();
    })();
    return this.#closing;
  }

  #track(write: () => Promise<void>): Promise<void> {
    if (this.#closing !== undefined) {
      return Promise.reject(
        new Error("credchain: this token cache store is closed; open a new one to write."),
      );
    }
    const pending = write();
    this.#writes.add(pending);
    const forget = (): void => {
      this.#writes.delete(pending);
    };
    pending.then(forget, forget);
    return pending;
  }

  #ready(): Promise<CacheFile> {
    if (this.#opened !== undefined) return Promise.resolve(this.#opened);
    this.#file ??= this.#prepare().then(
      (file) => {
        this.#opened = file;
        return file;
      },
      (error: unknown) => {
        // A missing key or a transient I/O error is retried on the next access.
        this.#file = undefined;
        throw error;
      },
    );
    return this.#file;
  }
}
