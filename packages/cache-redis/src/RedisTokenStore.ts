import { randomUUID } from "node:crypto";
import {
  ClientAuthenticationError,
  type AccessToken,
  type TokenCacheStore,
  type TokenCoordination,
  type TokenCoordinationOutcome,
} from "@credchain/core";
import { sleep } from "@credchain/core/plugin";
import { COORDINATE_SCRIPT, SETTLE_SCRIPT } from "./leaseScripts.js";
import type { RedisCachePersistence, StoreReporter } from "./RedisCachePersistence.js";
import { RedisCacheError } from "./RedisCacheError.js";
import type { RedisKeyMaterial } from "./RedisKeyMaterial.js";
import { decodeEntry, encodeEntry, entryBinding } from "./redisEntryFormat.js";

/** A 429 without `Retry-After` is shared for this long. */
export const DEFAULT_THROTTLE_IN_MS = 10_000;
/** No shared throttle lasts longer than this, whatever the server asked. */
export const MAX_THROTTLE_IN_MS = 300_000;
/** Entries leave Redis this long before their token expires. */
const TTL_MARGIN_IN_MS = 1_000;
/** A waiting process looks again at least this often, in case a pub/sub notice was missed. */
const POLL_IN_MS = 250;

/** The Redis names of one cache key: `{id}` is a hash tag, so all of them live in one slot. */
interface EntryNames {
  id: string;
  token: string;
  lease: string;
  throttle: string;
  binding: string;
}

function isThrottle(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === "ClientAuthenticationError" &&
    (error as { statusCode?: unknown }).statusCode === 429
  );
}

/**
 * One cache name and partition in Redis, as one credential sees it. Opening is free; the first
 * use resolves the key (and throws `CredentialUnavailableError` when there is none and no
 * consent). Every other failure is skipped: the first one of an outage is thrown (the credential
 * reports it as `cache:error` and carries on), the rest return as if Redis were empty.
 */
export class RedisTokenStore implements TokenCacheStore {
  readonly #persistence: RedisCachePersistence;
  /** `<name>.<partition>`: the label in events and part of every binding. */
  readonly #store: string;
  readonly #allowUnencryptedStorage: boolean;
  readonly #reporter: StoreReporter | undefined;
  #closing: Promise<void> | undefined;
  /** Present only with coordination on: the engine checks for the method itself. */
  readonly coordinate?: (key: string, signal: AbortSignal) => Promise<TokenCoordination>;

  constructor(
    persistence: RedisCachePersistence,
    store: string,
    allowUnencryptedStorage: boolean,
    reporter?: StoreReporter,
  ) {
    this.#persistence = persistence;
    this.#reporter = reporter;
    this.#store = store;
    this.#allowUnencryptedStorage = allowUnencryptedStorage;
    const coordination = persistence.options.coordination;
    if (coordination !== false) {
      this.coordinate = (key, signal) => this.#coordinate(key, signal, coordination);
    }
  }

  async get(key: string): Promise<AccessToken | undefined> {
    const keys = await this.#keys();
    const names = this.#names(keys, key);
    const result = await this.#persistence.connection.run((client) =>
      client.sendCommand(["GET", names.token]),
    );
    if (!result.ok) return this.#skipped(result.report);
    return this.#decode(result.value, keys, names);
  }

  async set(key: string, token: AccessToken): Promise<void> {
    this.#assertOpen();
    const keys = await this.#keys();
    const names = this.#names(keys, key);
    // Never outlives the token: Redis drops it a little before it expires (clocks differ by a
    // millisecond or two, and a token in its last second is of no use to anyone).
    const ttl =
      Math.floor(token.expiresOnTimestamp - this.#persistence.clock().now()) - TTL_MARGIN_IN_MS;
    if (ttl <= 0) return;
    const value = encodeEntry(token, keys, names.binding);
    const result = await this.#persistence.connection.run((client) =>
      client.sendCommand(["SET", names.token, value, "PX", String(ttl)]),
    );
    if (!result.ok) return this.#skipped(result.report);
    await this.#persistence.checkKeyMarker(keys, this.#store, this.#reporter);
  }

  async delete(key: string): Promise<void> {
    this.#assertOpen();
    const keys = await this.#keys();
    const names = this.#names(keys, key);
    const result = await this.#persistence.connection.run((client) =>
      client.sendCommand(["DEL", names.token]),
    );
    if (!result.ok) this.#skipped(result.report);
  }

  /** Idempotent: the same promise every time. The last store closes the plugin's own connection. */
  close(): Promise<void> {
    this.#closing ??= this.#persistence.connection.release();
    return this.#closing;
  }

  /**
   * Cross-replica single flight for a cold key: take the lease and fetch (`settle` then releases
   * it and wakes the others), or wait for the process holding it, up to `waitInMs`, then fetch
   * anyway. A shared throttle rejects with a 429 `ClientAuthenticationError`.
   */
  async #coordinate(
    key: string,
    signal: AbortSignal,
    options: { leaseInMs: number; waitInMs: number },
  ): Promise<TokenCoordination> {
    const keys = await this.#keys();
    const names = this.#names(keys, key);
    const connection = this.#persistence.connection;
    const clock = this.#persistence.clock();
    const owner = randomUUID();
    const deadline = clock.now() + options.waitInMs;
    let woken = false;
    let wake = new AbortController();
    let ignored = "";
    const unsubscribe = connection.onSettled(names.id, () => {
      woken = true;
      wake.abort();
    });
    try {
      let listening = false;
      for (;;) {
        const result = await connection.run((client) =>
          client.sendCommand([
            "EVAL",
            COORDINATE_SCRIPT,
            "3",
            names.token,
            names.lease,
            names.throttle,
            owner,
            String(options.leaseInMs),
            ignored,
          ]),
        );
        if (!result.ok) {
          if (result.report !== undefined) throw result.report;
          return {};
        }
        const [state, detail] = result.value as [string, string | number];
        if (state === "throttled") throw this.#throttled(Number(detail));
        if (state === "token") {
          const token = this.#decode(detail, keys, names);
          if (token === undefined) return {};
          const refreshAt = token.refreshAfterTimestamp;
          if (refreshAt === undefined || clock.now() < refreshAt) return { token };
          // Due for refresh: one replica refreshes it, the others wait for the new token.
          ignored = String(detail);
          continue;
        }
        if (state === "owner") {
          return { settle: (outcome) => this.#settle(names, owner, outcome) };
        }
        // Someone else is fetching. Wait for its notice, the lease to run out, or the deadline.
        const now = clock.now();
        if (signal.aborted) throw signal.reason;
        if (now >= deadline) return {};
        if (!listening) {
          // Once per wait: without pub/sub the polling below still finds the token.
          listening = true;
          await connection.subscribe();
          // A notice published while we were subscribing was missed: look again before waiting.
          continue;
        }
        const leaseLeft = Number(detail) > 0 ? Number(detail) : 1;
        if (!woken)
          await this.#pause(Math.min(leaseLeft, POLL_IN_MS, deadline - now), wake, signal);
        woken = false;
        wake = new AbortController();
      }
    } finally {
      unsubscribe();
    }
  }

  async #pause(ms: number, wake: AbortController, signal: AbortSignal): Promise<void> {
    const onAbort = (): void => wake.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      await sleep(this.#persistence.clock(), ms, wake.signal);
    } catch {
      // Woken by a notice, or the caller left (checked by the caller of #pause).
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
    if (signal.aborted) throw signal.reason;
  }

  /** Releases the lease, shares a throttle and wakes the waiters; never throws, never awaited. */
  #settle(names: EntryNames, owner: string, outcome: TokenCoordinationOutcome): void {
    let throttleInMs = 0;
    if ("error" in outcome && isThrottle(outcome.error)) {
      const asked = outcome.retryAfterInMs ?? DEFAULT_THROTTLE_IN_MS;
      throttleInMs = Math.ceil(Math.min(Math.max(asked, 1), MAX_THROTTLE_IN_MS));
    }
    const connection = this.#persistence.connection;
    void connection
      .background((client) =>
        client.sendCommand([
          "EVAL",
          SETTLE_SCRIPT,
          "2",
          names.lease,
          names.throttle,
          owner,
          String(throttleInMs),
          connection.channel,
          names.id,
        ]),
      )
      .then((result) => {
        // The others wait at most `waitInMs` (or the lease) anyway: report, nothing to undo.
        if (!result.ok && result.report !== undefined) {
          this.#persistence.report(this.#store, "write", result.report, this.#reporter);
        }
      });
  }

  #throttled(retryInMs: number): ClientAuthenticationError {
    const seconds = Math.max(1, Math.ceil(retryInMs / 1000));
    const at = new Date(this.#persistence.clock().now() + retryInMs).toISOString();
    return new ClientAuthenticationError(
      "credchain: another replica was throttled by the token endpoint (HTTP 429) for this token, so this one " +
        `does not send the same request; retry after ${seconds} s (at ${at}).`,
      { statusCode: 429, retryAfterInMs: retryInMs },
    );
  }

  #decode(value: unknown, keys: RedisKeyMaterial, names: EntryNames): AccessToken | undefined {
    if (value === null || value === undefined) return undefined;
    const decoded =
      typeof value === "string" ? decodeEntry(value, keys, names.binding) : "unreadable";
    if (decoded !== "unreadable") return decoded;
    // Not destroyed: the network's token replaces it on the next write.
    this.#persistence.reportOnce(
      "unreadable-entry",
      this.#store,
      new RedisCacheError(this.#persistence.connection.server, "unreadable-entry"),
      this.#reporter,
    );
    return undefined;
  }

  /** The first failure of an outage goes to the credential (one `cache:error`); the rest are quiet. */
  #skipped(report: RedisCacheError | undefined): undefined {
    if (report !== undefined) throw report;
    return undefined;
  }

  #keys(): Promise<RedisKeyMaterial> {
    return this.#persistence.keys(this.#store, this.#allowUnencryptedStorage);
  }

  #names(keys: RedisKeyMaterial, key: string): EntryNames {
    const binding = entryBinding(this.#store, key);
    const id = keys.entryId(binding);
    const base = `${this.#persistence.options.keyPrefix}{${id}}`;
    return { id, token: `${base}:t`, lease: `${base}:l`, throttle: `${base}:x`, binding };
  }

  #assertOpen(): void {
    if (this.#closing !== undefined) {
      throw new Error("credchain: this token cache store is closed; open a new one to write.");
    }
  }
}
