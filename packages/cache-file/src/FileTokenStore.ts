import type { AccessToken, TokenCacheStore } from "@credchain/core";
import type { CacheFile } from "./CacheFile.js";

/**
 * One opened store: a name and partition as one credential sees it. Opening is free; the first
 * `get` or `set` resolves the key and the file (and throws `CredentialUnavailableError` when the
 * cache cannot be used at all, so the error reaches `getToken`).
 */
export class FileTokenStore implements TokenCacheStore {
  readonly #prepare: () => Promise<CacheFile>;
  #file: Promise<CacheFile> | undefined;
  #closing: Promise<void> | undefined;

  /** `prepare` is called on first use and again after a failure, never concurrently. */
  constructor(prepare: () => Promise<CacheFile>) {
    this.#prepare = prepare;
  }

  async get(key: string): Promise<AccessToken | undefined> {
    return (await this.#ready()).get(key);
  }

  async set(key: string, token: AccessToken): Promise<void> {
    this.#assertOpen();
    await (await this.#ready()).set(key, token);
  }

  async delete(key: string): Promise<void> {
    this.#assertOpen();
    await (await this.#ready()).delete(key);
  }

  /** Writes whatever is still queued. Idempotent: the same promise every time. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      // Never opened, or failed to open: nothing can be queued.
      const file = await this.#file?.catch(() => undefined);
      await file?.flush();
    })();
    return this.#closing;
  }

  #assertOpen(): void {
    if (this.#closing !== undefined) {
      throw new Error("credchain: this token cache store is closed; open a new one to write.");
    }
  }

  #ready(): Promise<CacheFile> {
    this.#file ??= this.#prepare().catch((error: unknown) => {
      // A missing key or a transient I/O error is retried on the next access.
      this.#file = undefined;
      throw error;
    });
    return this.#file;
  }
}
