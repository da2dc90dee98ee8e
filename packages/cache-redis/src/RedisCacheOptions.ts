/** Cross-replica single flight: one token request per cold key across every process. */
export interface RedisCoordinationOptions {
  /**
   * How long the process fetching a token holds the lease, in milliseconds: a process that dies
   * while holding it delays the others by at most this much. Default 10,000.
   */
  leaseInMs?: number;
  /**
   * The longest a process waits for another one's token before fetching its own, in
   * milliseconds. Default 5,000.
   */
  waitInMs?: number;
}

/** Options of `redisCachePlugin`. Every field is optional. */
export interface RedisCacheOptions {
  /**
   * The Redis server, e.g. `"redis://127.0.0.1:6379"` or `"rediss://user:pass@host:6380"`.
   * Default: the `CREDCHAIN_REDIS_URL` environment variable, else `"redis://127.0.0.1:6379"`.
   * Ignored when `client` is given.
   */
  url?: string;
  /**
   * An already connected node-redis (v4 or v5) client or cluster client, with whatever TLS or ACL
   * set-up it needs. The plugin uses it as it is and never quits it.
   */
  client?: unknown;
  /** Prefix of every key (and the pub/sub channel) the plugin writes. Default `"credchain:"`. */
  keyPrefix?: string;
  /**
   * The 32-byte AES-256-GCM key that encrypts every entry, or an async function that returns it
   * (called once, on first use). Every replica must use the same key to share tokens.
   *
   * Default: the `CREDCHAIN_CACHE_KEY` environment variable (base64 of 32 bytes, as
   * `@credchain/cache-file`). Without a key tokens are stored only if the credential sets
   * `cachePersistenceOptions.allowUnencryptedStorage: true`, and then in plaintext.
   */
  encryptionKey?: Uint8Array | (() => Promise<Uint8Array>);
  /** Cross-replica single flight and shared throttling; `false` turns both off. */
  coordination?: false | RedisCoordinationOptions;
  /**
   * The longest any Redis command may take, in milliseconds; a slower Redis is skipped (see the
   * README's "Redis down or slow"). Default 500.
   */
  commandTimeoutInMs?: number;
}
