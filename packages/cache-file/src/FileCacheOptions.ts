/** How long `fileCachePlugin` waits for, and when it breaks, another process's lock. */
export interface FileCacheLockOptions {
  /**
   * The longest a write waits for another process to release the cache file's lock, in
   * milliseconds. When it runs out the write fails; the credential reports it (`cache:error`) and
   * carries on with the token it already has. Default 5,000.
   */
  timeoutInMs?: number;
  /**
   * A lock older than this, in milliseconds, is considered abandoned and broken, whoever holds it.
   * A lock whose owner process is gone (same host) is broken at once. Default 10,000.
   */
  staleInMs?: number;
}

/** Options of `fileCachePlugin`. Every field is optional. */
export interface FileCacheOptions {
  /**
   * Where cache files live, one per cache name, key and partition (`<name>.<key id>.nocae`,
   * `<name>.<key id>.cae`). Created with mode 0700; files get mode 0600. It must not be a symlink
   * (symlinks among its parents are fine).
   *
   * Default: the `CREDCHAIN_CACHE_DIR` environment variable, else the per-user cache directory
   * (`$XDG_CACHE_HOME` or `~/.cache` on Linux, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on
   * Windows) followed by `credchain`.
   */
  directory?: string;
  /**
   * The 32-byte AES-256-GCM key that encrypts cache files, or an async function that returns it
   * (called on first use; one that has not settled within 10 s fails that cache access with
   * `CredentialUnavailableError` and is called again on the next).
   *
   * Default: the `CREDCHAIN_CACHE_KEY` environment variable (base64 of 32 bytes), else a key kept in
   * the OS keyring (macOS Keychain, Windows Credential Manager, the Secret Service on Linux),
   * created on first use. With none of these, tokens are stored only if the credential sets
   * `cachePersistenceOptions.allowUnencryptedStorage: true`, and then in plaintext.
   */
  encryptionKey?: Uint8Array | (() => Promise<Uint8Array>);
  /** Cross-process lock behaviour. */
  lock?: FileCacheLockOptions;
}
