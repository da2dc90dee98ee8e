import type { AccessToken } from "../AccessToken.js";
import type { Clock } from "../Clock.js";
import { AbortError } from "../errors/AbortError.js";
import { ClientAuthenticationError } from "../errors/ClientAuthenticationError.js";
import { hasErrorName } from "../errors/hasErrorName.js";
import { TimeoutError } from "../errors/TimeoutError.js";
import { raceAbort, startTimer } from "../http/abortable.js";
import { checkDuration } from "../time/duration.js";
import { coordinateMiss, failureOutcome, settleCoordination } from "./coordinateMiss.js";
import type { TokenCacheStore, TokenCoordination } from "./TokenCachePersistence.js";

import type { TokenResult } from "./TokenResult.js";

/** How a call was answered: `refresh` means from memory while a background refresh runs. */
export type CacheResult = Exclude<TokenResult, "error">; // "hit" | "refresh" | "miss" | "persistent-hit"

/** One token request as the engine sees it. */
export interface CacheRequest {
  /**
   * The token's key within its partition, e.g. the scope set. The canonical key (what persistent
   * stores see) is `partition + key`.
   */
  key: string;
  /**
   * A prefix shared by many keys, e.g. authority, client id, tenant and CAE setting. Default `""`.
   * Tokens are held per partition, so a hit looks up the short key in the partition's own map
   * instead of a long canonical key in one big map: fewer bytes hashed, fewer cache lines touched.
   */
  partition?: string;
  scopes: readonly string[];
  tenantId: string;
  cae: boolean;
  /** The caller's claims challenge. A request with claims never answers from cache. */
  claims?: string;
}

/** A token and how it was found. */
export interface CacheAnswer {
  readonly token: AccessToken;
  readonly result: CacheResult;
}

/** What the engine says about one acquisition besides the request. */
export interface AcquireContext {
  /** A background refresh: nobody waits for it; the token it replaces is still valid. */
  readonly background: boolean;
}

/** Engine settings. Durations in milliseconds. */
export interface TokenCacheEngineOptions {
  clock: Clock;
  /**
   * Fetches a new token from the network. `signal` aborts when nobody waits for it any more, or
   * when a background refresh ran out of time or was abandoned.
   */
  acquire(
    request: CacheRequest,
    signal: AbortSignal,
    context: AcquireContext,
  ): Promise<AccessToken>;
  /** Who acquires, for messages, e.g. `"ClientSecretCredential"`. Default `"The token source"`. */
  name?: string;
  /**
   * Prefixed to every partition `partition()` builds, e.g. authority and client id, so keys are
   * unique across credentials sharing a persistent store. Default `""`.
   */
  keyPrefix?: string;
  /**
   * The deadline of one acquisition (store read and network, retries included), foreground or
   * background refresh: one timer per flight, not per caller. Nobody waits on a refresh to give up
   * on it, and callers keep joining a foreground flight, so without it a request the endpoint
   * never answers would hold the key's flight forever. Default 60,000 ms.
   */
  acquireTimeoutInMs?: number;
  /** Refresh this long before expiry when the server gave no `refresh_in`. Default 5 minutes. */
  refreshOffsetInMs?: number;
  /** After a failed background refresh, wait this long before the next. Default 30 s. */
  retryIntervalInMs?: number;
  /** The most tokens kept in memory; the least recently used goes first. Default 10,000. */
  maxEntries?: number;
  /** The persistent store for a partition, if any. */
  persistentStore?(cae: boolean): TokenCacheStore | undefined;
  onRefresh?(
    request: CacheRequest,
    outcome: "started" | "succeeded" | "failed",
    error?: unknown,
    nextAttemptTimestamp?: number,
  ): void;
  onPersistenceError?(request: CacheRequest, operation: "read" | "write", error: unknown): void;
}

/**
 * A cached token. It is its own `CacheAnswer` for a hit, so a hit allocates nothing and touches
 * one object: at thousands of cached tokens, every extra object on the hit path is a cache miss.
 */
interface Entry extends CacheAnswer {
  readonly token: AccessToken;
  readonly result: "hit";
  refreshAt: number;
  expiresAt: number;
  /** A logical clock of use, for LRU eviction: written on every hit, no list to relink. */
  lastUsed: number;
  /** `partition + key`: flights and persistent stores use it. */
  canonicalKey: string;
  /** What to send when this entry is refreshed: the original request without claims. */
  request: CacheRequest;
  nextRefreshAttemptAt: number;
}

interface Flight {
  promise: Promise<CacheAnswer>;
  controller: AbortController;
  waiters: number;
  background: boolean;
  settled: boolean;
}

/** What persistent stores and in-flight requests are keyed by. */
function canonicalKeyOf(request: CacheRequest): string {
  return request.partition === undefined ? request.key : request.partition + request.key;
}

type PartitionMap = Map<string, Entry>;

/** A partition's entry map, opaque outside the engine. */
export interface PartitionEntries {
  readonly size: number;
}

/**
 * The live entry map of `partition`, or `undefined` while it holds no token. For a caller that
 * looks up many keys per partition (a credential, per tenant): keeping the map saves a lookup by
 * the partition's long name on every hit. The engine empties a map before it drops it, so a kept
 * map that is empty must be asked for again. Internal: not exported from the package.
 */
export let partitionEntries: (
  engine: TokenCacheEngine,
  partition: string,
) => PartitionEntries | undefined;

/** `engine.lookup(key, partition)` on a map from `partitionEntries`: the same answers and refresh. */
export let lookupInEntries: (
  engine: TokenCacheEngine,
  entries: PartitionEntries,
  key: string,
) => CacheAnswer | undefined;

/** Partitions by tenant are kept up to this many; a caller cycling through endless tenants must not grow them forever. */
const MAX_PARTITION_TENANTS = 1_000;

/**
 * The token cache every credential uses: O(1) lookup by canonical key, one in-flight request per
 * key whose outcome (success or failure) every concurrent caller shares, early background refresh
 * that keeps serving the valid token when it fails, LRU and expiry eviction, and an optional
 * persistence tier read on a memory miss and written after a network acquisition. Every time
 * decision reads the injected clock.
 */
export class TokenCacheEngine {
  readonly #options: TokenCacheEngineOptions;
  readonly #clock: Clock;
  readonly #refreshOffsetInMs: number;
  readonly #retryIntervalInMs: number;
  readonly #maxEntries: number;
  readonly #acquireTimeoutInMs: number;
  readonly #name: string;
  readonly #keyPrefix: string;
  /** Partition names by tenant: `[nocae, cae]`; see `partition()`. */
  readonly #partitionNames = new Map<string, readonly [string, string]>();
  readonly #partitions = new Map<string, Map<string, Entry>>();
  readonly #flights = new Map<string, Flight>();
  #size = 0;
  #tick = 0;
  #insertsSinceSweep = 0;

  constructor(options: TokenCacheEngineOptions) {
    this.#options = options;
    this.#clock = options.clock;
    this.#refreshOffsetInMs = checkDuration(
      "refreshOffsetInMs",
      options.refreshOffsetInMs,
      300_000,
    );
    this.#retryIntervalInMs = checkDuration("retryIntervalInMs", options.retryIntervalInMs, 30_000);
    this.#acquireTimeoutInMs = checkDuration(
      "acquireTimeoutInMs",
      options.acquireTimeoutInMs,
      60_000,
      { allowZero: false },
    );
    const maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(
        `maxEntries (maxCachedTokens) must be a positive integer; got ${typeof maxEntries === "number" ? String(maxEntries) : typeof maxEntries}.`,
      );
    }
    this.#maxEntries = maxEntries;
    this.#name = options.name ?? "The token source";
    this.#keyPrefix = options.keyPrefix ?? "";
  }

  /**
   * The partition for a tenant and CAE setting: `keyPrefix`, tenant, CAE. Built once per tenant
   * and reused, so a hit looks up an already-hashed string in a small map and then only the scope
   * in that partition's map.
   */
  partition(tenantId: string, cae: boolean): string {
    let pair = this.#partitionNames.get(tenantId);
    if (pair === undefined) {
      if (this.#partitionNames.size >= MAX_PARTITION_TENANTS) this.#partitionNames.clear();
      const prefix = `${this.#keyPrefix}${tenantId}|`;
      pair = [`${prefix}nocae|`, `${prefix}cae|`];
      this.#partitionNames.set(tenantId, pair);
    }
    return pair[cae ? 1 : 0];
  }

  /** How many tokens are in memory. */
  get size(): number {
    return this.#size;
  }

  /**
   * The cached token for `key` if it is still valid, else `undefined`. Inside the refresh window
   * it starts one background refresh (at most once per retry interval) and answers `refresh`.
   * Synchronous, so a hit costs a map lookup.
   */
  lookup(key: string, partition = ""): CacheAnswer | undefined {
    return this.#lookupIn(this.#partitions.get(partition), key);
  }

  static {
    partitionEntries = (engine, partition) => engine.#partitions.get(partition);
    lookupInEntries = (engine, entries, key) => engine.#lookupIn(entries as PartitionMap, key);
  }

  #lookupIn(entries: PartitionMap | undefined, key: string): CacheAnswer | undefined {
    const entry = entries?.get(key);
    if (entry === undefined) return undefined;
    entry.lastUsed = ++this.#tick;
    const now = this.#clock.now();
    if (now < entry.refreshAt) return entry;
    const inFlight = this.#flights.has(entry.canonicalKey);
    if (now >= entry.expiresAt) {
      if (!inFlight) this.#remove(entry);
      return undefined;
    }
    if (!inFlight && now >= entry.nextRefreshAttemptAt) this.#refresh(entry);
    return { token: entry.token, result: "refresh" };
  }

  /**
   * Gets a token that is not (usable) in memory: joins the in-flight request for the key, or
   * starts one (persistent tier first, then network). `signal` only stops this caller's wait; the
   * request itself is aborted when every caller waiting on it has given up, or at its deadline:
   * `acquireTimeoutInMs`, or `options.timeoutInMs` when this call starts the flight and asks for
   * longer (a per-call timeout overrides the default; it bounds its own caller's wait via `signal`).
   */
  acquire(
    request: CacheRequest,
    signal?: AbortSignal,
    options?: { timeoutInMs?: number },
  ): Promise<CacheAnswer> {
    const canonicalKey = canonicalKeyOf(request);
    const flightKey =
      request.claims === undefined ? canonicalKey : `${canonicalKey}\u0000${request.claims}`;
    let flight = this.#flights.get(flightKey);
    if (flight === undefined || (flight.background && !this.#stillValid(request))) {
      // A background refresh still in flight for a token that has since expired (or was evicted)
      // may be hung. Waiting on it would make every caller wait as long as it hangs; start a
      // fresh request instead and abandon the stale one (it can no longer replace the fresh token).
      if (flight !== undefined) {
        this.#flights.delete(flightKey);
        flight.controller.abort(
          new AbortError(
            "A background refresh was abandoned: the token it refreshed expired first.",
          ),
        );
      }
      const asked = options?.timeoutInMs;
      const timeoutInMs =
        asked !== undefined && asked > this.#acquireTimeoutInMs ? asked : this.#acquireTimeoutInMs;
      flight = this.#startFlight(flightKey, request, false, timeoutInMs);
    }
    return this.#wait(flightKey, flight, signal);
  }

  /** Whether the token a background refresh is renewing can still be served. */
  #stillValid(request: CacheRequest): boolean {
    const entry = this.#find(request);
    return entry !== undefined && this.#clock.now() < entry.expiresAt;
  }

  /** Drops every token and aborts every request in flight. */
  clear(reason: Error): void {
    for (const flight of this.#flights.values()) flight.controller.abort(reason);
    this.#flights.clear();
    // Emptied, not only dropped: a caller may keep a partition's map (see `partitionEntries`).
    for (const entries of this.#partitions.values()) entries.clear();
    this.#partitions.clear();
    this.#size = 0;
  }

  #refresh(entry: Entry): void {
    const request = entry.request;
    // Reported before the flight starts, so whatever the hook sets up for this refresh (a span)
    // is there when the acquisition begins.
    this.#options.onRefresh?.(request, "started");
    const flight = this.#startFlight(entry.canonicalKey, request, true, this.#acquireTimeoutInMs);
    flight.promise
      .then(
        () => this.#options.onRefresh?.(request, "succeeded"),
        (error: unknown) => {
          const next = this.#find(request)?.nextRefreshAttemptAt;
          this.#options.onRefresh?.(request, "failed", error, next);
        },
      )
      // The hook reports through the user's logger; if that throws, nobody is left to tell, and
      // an unhandled rejection would crash the process over a refresh nobody awaited.
      .catch(() => {});
  }

  #startFlight(
    flightKey: string,
    request: CacheRequest,
    background: boolean,
    timeoutInMs: number,
  ): Flight {
    const controller = new AbortController();
    const flight: Flight = {
      promise: undefined as unknown as Promise<CacheAnswer>,
      controller,
      waiters: 0,
      background,
      settled: false,
    };
    // The flight's own deadline, on the injected clock.
    const stopTimer = startTimer(this.#clock, timeoutInMs, () =>
      controller.abort(new TimeoutError(timeoutInMs, "requestTimeoutInMs")),
    );
    // An abandoned or timed-out flight settles at once, even if `acquire` ignores its signal.
    // Rejected with the abort reason as given: the engine's own errors (closed, timed out,
    // abandoned), or that of the last caller who gave up and is no longer waiting.
    let run = raceAbort(
      this.#run(request, controller.signal, background),
      controller.signal,
      (aborted) => aborted.reason,
    );
    if (background) {
      // Set the back-off before the flight leaves the map: a lookup in between would otherwise
      // see neither a flight nor a back-off and start a second refresh at once.
      run = run.catch((error: unknown) => {
        const current = this.#find(request);
        if (current !== undefined) {
          current.nextRefreshAttemptAt = this.#clock.now() + this.#retryIntervalInMs;
        }
        throw error;
      });
    }
    flight.promise = run.finally(() => {
      stopTimer();
      flight.settled = true;
      if (this.#flights.get(flightKey) === flight) this.#flights.delete(flightKey);
    });
    // A flight whose callers all gave up is still observed: never an unhandled rejection.
    flight.promise.catch(() => {});
    this.#flights.set(flightKey, flight);
    return flight;
  }

  async #wait(
    flightKey: string,
    flight: Flight,
    signal: AbortSignal | undefined,
  ): Promise<CacheAnswer> {
    flight.waiters++;
    try {
      return await raceAbort(flight.promise, signal);
    } finally {
      flight.waiters--;
      if (flight.waiters === 0 && !flight.background && !flight.settled && signal?.aborted) {
        // Everyone who wanted this token gave up: stop the request instead of finishing it for
        // nobody, and let the next caller start afresh rather than join an aborted flight.
        if (this.#flights.get(flightKey) === flight) this.#flights.delete(flightKey);
        flight.controller.abort(signal.reason);
      }
    }
  }

  async #run(
    request: CacheRequest,
    signal: AbortSignal,
    background: boolean,
  ): Promise<CacheAnswer> {
    const store = this.#options.persistentStore?.(request.cae);
    let coordination: TokenCoordination | undefined;
    if (store !== undefined && request.claims === undefined) {
      const stored = await this.#read(store, request);
      if (stored !== undefined) {
        const now = this.#clock.now();
        // A background refresh only takes a stored token that is newer than the one it refreshes
        // (another process refreshed it), else it would re-serve the same ageing token forever.
        // A store is another process's word: anything but a well-formed, unexpired token is a miss.
        if (
          typeof stored.token === "string" &&
          stored.token !== "" &&
          typeof stored.expiresOnTimestamp === "number" &&
          now < stored.expiresOnTimestamp &&
          (!background || now < this.#refreshAt(stored, now))
        ) {
          return { token: this.#put(request, stored, now).token, result: "persistent-hit" };
        }
      }
      // Still a miss: another process may be fetching this key right now; wait for its token.
      const onError = (error: unknown): void =>
        this.#options.onPersistenceError?.(request, "read", error);
      coordination = await coordinateMiss(store, canonicalKeyOf(request), signal, onError);
      const shared = coordination?.token;
      const now = this.#clock.now();
      if (
        shared !== undefined &&
        typeof shared.token === "string" &&
        shared.token !== "" &&
        typeof shared.expiresOnTimestamp === "number" &&
        now < shared.expiresOnTimestamp &&
        (!background || now < this.#refreshAt(shared, now))
      ) {
        return { token: this.#put(request, shared, now).token, result: "persistent-hit" };
      }
    }
    const onSettleError = (error: unknown): void =>
      this.#options.onPersistenceError?.(request, "write", error);
    let token: AccessToken;
    let now: number;
    try {
      token = await this.#options.acquire(request, signal, { background });
      now = this.#clock.now();
      this.#check(token, now);
      if (signal.aborted) throw signal.reason;
    } catch (error) {
      settleCoordination(coordination, failureOutcome(error), onSettleError);
      throw error;
    }
    const entry = this.#put(request, token, now);
    if (store !== undefined) await this.#write(store, request, entry.token);
    // After the write: the processes this wakes read the token from the store.
    settleCoordination(coordination, { token: entry.token }, onSettleError);
    return { token: entry.token, result: "miss" };
  }

  /**
   * An acquired token must be usable: a string, an expiry, and not already expired (`expires_in:
   * 0`, an `expires_on` in the past, a lifetime that ran out in transit). Caching or serving one
   * would hand callers a token the resource rejects, and send every later call to the network.
   */
  #check(token: AccessToken | undefined, now: number): void {
    const candidate = token as Partial<AccessToken> | null | undefined;
    if (
      typeof candidate !== "object" ||
      candidate === null ||
      typeof candidate.token !== "string" ||
      candidate.token === "" ||
      typeof candidate.expiresOnTimestamp !== "number" ||
      !Number.isFinite(candidate.expiresOnTimestamp)
    ) {
      throw new ClientAuthenticationError(
        `${this.#name} returned an invalid token: expected { token: a non-empty string, expiresOnTimestamp: milliseconds since the epoch }.`,
      );
    }
    if (candidate.expiresOnTimestamp <= now) {
      throw new ClientAuthenticationError(
        `${this.#name} received a token that had already expired (${Math.round((now - candidate.expiresOnTimestamp) / 1000)} s ago); ` +
          "it was not cached or returned. Check the system clock and the lifetime the token endpoint grants.",
      );
    }
  }

  async #read(store: TokenCacheStore, request: CacheRequest): Promise<AccessToken | undefined> {
    try {
      return await store.get(canonicalKeyOf(request));
    } catch (error) {
      // "Cannot use the configured cache at all" (no key, no consent) must reach the caller;
      // anything else is reported and the network answers instead.
      if (hasErrorName(error, "CredentialUnavailableError")) throw error;
      this.#options.onPersistenceError?.(request, "read", error);
      return undefined;
    }
  }

  async #write(store: TokenCacheStore, request: CacheRequest, token: AccessToken): Promise<void> {
    try {
      await store.set(canonicalKeyOf(request), token);
    } catch (error) {
      // The token in hand is good; losing the persistent copy must not fail the call.
      this.#options.onPersistenceError?.(request, "write", error);
    }
  }

  #refreshAt(token: AccessToken, now: number): number {
    const fromServer = token.refreshAfterTimestamp;
    if (fromServer !== undefined && fromServer < token.expiresOnTimestamp) return fromServer;
    const byOffset = token.expiresOnTimestamp - this.#refreshOffsetInMs;
    // A token that lives less than the offset would be due at once and refreshed on every call;
    // refresh it half-way through its remaining life instead.
    return byOffset > now ? byOffset : now + (token.expiresOnTimestamp - now) / 2;
  }

  #put(request: CacheRequest, token: AccessToken, now: number): Entry {
    const refreshAt = this.#refreshAt(token, now);
    const stored: AccessToken = Object.freeze({
      token: token.token,
      expiresOnTimestamp: token.expiresOnTimestamp,
      refreshAfterTimestamp: refreshAt,
      tokenType: token.tokenType ?? "Bearer",
    });
    const refreshRequest: CacheRequest =
      request.claims === undefined
        ? request
        : {
            key: request.key,
            scopes: request.scopes,
            tenantId: request.tenantId,
            cae: request.cae,
          };
    if (request.partition !== undefined) refreshRequest.partition = request.partition;
    const partition = request.partition ?? "";
    let entries = this.#partitions.get(partition);
    if (entries === undefined)
      this.#partitions.set(partition, (entries = new Map<string, Entry>()));
    // Field order puts what a hit reads first, on the same cache line.
    const entry: Entry = {
      token: stored,
      result: "hit",
      refreshAt,
      expiresAt: stored.expiresOnTimestamp,
      lastUsed: ++this.#tick,
      canonicalKey: canonicalKeyOf(request),
      request: refreshRequest,
      nextRefreshAttemptAt: 0,
    };
    if (!entries.has(request.key)) this.#size++;
    entries.set(request.key, entry);
    this.#evict(now);
    return entry;
  }

  #find(request: CacheRequest): Entry | undefined {
    return this.#partitions.get(request.partition ?? "")?.get(request.key);
  }

  #remove(entry: Entry): void {
    const partition = entry.request.partition ?? "";
    const entries = this.#partitions.get(partition);
    if (entries?.get(entry.request.key) !== entry) return;
    entries.delete(entry.request.key);
    this.#size--;
    if (entries.size === 0) this.#partitions.delete(partition);
  }

  *#allEntries(): IterableIterator<Entry> {
    for (const entries of this.#partitions.values()) yield* entries.values();
  }

  #evict(now: number): void {
    if (this.#size > this.#maxEntries) {
      // In batches of a tenth of the cap: one scan finds them, so eviction stays cheap per insert.
      const count = Math.max(this.#size - this.#maxEntries, Math.floor(this.#maxEntries / 10));
      const all = [...this.#allEntries()].sort((a, b) => a.lastUsed - b.lastUsed);
      for (const entry of all.slice(0, count)) this.#remove(entry);
    }
    // A full sweep of expired tokens, amortised over inserts so it stays O(1) per insert.
    if (++this.#insertsSinceSweep >= Math.max(64, this.#size >> 2)) {
      this.#insertsSinceSweep = 0;
      for (const entry of [...this.#allEntries()]) {
        if (now >= entry.expiresAt && !this.#flights.has(entry.canonicalKey)) this.#remove(entry);
      }
    }
  }
}
