/** Who held a lock that could not be acquired in time, as far as its lock file says. */
export interface CacheLockHolder {
  pid?: number;
  hostname?: string;
  /** How long the lock had been held, in milliseconds. */
  ageInMs: number;
}

/**
 * Another process held a cache file's lock for longer than `lock.timeoutInMs`. The write is given
 * up; the credential reports it (`cache:error`) and keeps the token it already has.
 */
export class CacheLockTimeoutError extends Error {
  override readonly name = "CacheLockTimeoutError";
  readonly lockPath: string;
  readonly holder: CacheLockHolder | undefined;

  constructor(
    lockPath: string,
    timeoutInMs: number,
    staleInMs: number,
    holder: CacheLockHolder | undefined,
  ) {
    const by =
      holder === undefined
        ? ""
        : ` held by ${holder.pid === undefined ? "an unknown process" : `pid ${holder.pid}`}` +
          `${holder.hostname === undefined ? "" : ` on ${holder.hostname}`} for ${Math.round(holder.ageInMs)} ms`;
    super(
      `credchain: timed out after ${timeoutInMs} ms waiting for the token cache lock ${lockPath}${by}. ` +
        `A lock is broken when its owner process has exited (same host) or it is older than lock.staleInMs ` +
        `(${staleInMs} ms). Raise lock.timeoutInMs to wait longer, or delete the lock file if no credchain process is using the cache.`,
    );
    this.lockPath = lockPath;
    this.holder = holder;
  }
}
