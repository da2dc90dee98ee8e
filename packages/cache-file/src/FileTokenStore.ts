import type { AccessToken, TokenCacheStore } from "@credchain/core";
import type { CacheFile } from "./CacheFile.js";

/**
 * One opened store: a name and partition as one credential sees it. Opening is free; the first
 * `get` or `set` resolves the key and the file (and throws `CredentialUnavailableError` when the
 * cache cannot be used at all, so the error reaches `getToken`).
 */
export class FileTokenStore implements TokenCacheStore {
  readonly #prepare: () => Promise<CacheFile>;
  /** Aborted by `close()`: reads still waiting for the file (a key not yet resolved) give up. */
  readonly #closed = new AbortController();
  /** Writes accepted before `close()`, which waits for them. */
  readonly #writes = new Set<Promise<void>>();
  #file: Promise<CacheFile> | undefined;
  #opened: CacheFile | undefined;
  #closing: Promise<void> | undefined;

  /** `prepare` is called on first use and again after a failure, never concurrently. */
  constructor(prepare: () => Promise<CacheFile>) {
    this.#prepare = prepare;
  }

  async get(key: string): Promise<AccessToken | undefined> {
    return (await abandonedOnClose(this.#ready(), this.#closed.signal)).get(key);
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
      this.#closed.abort();
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

function abandonedOnClose<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  const closedError = (): Error =>
    new Error("credchain: the token cache store was closed before its file could be opened.");
  if (signal.aborted) return Promise.reject(closedError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(closedError());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
