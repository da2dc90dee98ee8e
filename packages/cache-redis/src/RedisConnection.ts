import { sleep, type Clock } from "@credchain/core/plugin";
import { createClient } from "redis";
import { CircuitBreaker } from "./CircuitBreaker.js";
import { RedisCacheError } from "./RedisCacheError.js";
import type { RedisClientLike } from "./RedisClientLike.js";
import type { ResolvedRedisCacheOptions } from "./resolveOptions.js";

/** What one command came to: its reply, or why there is none (`report` only for a new outage). */
export type CommandResult<T> =
  { ok: true; value: T } | { ok: false; report: RedisCacheError | undefined };

/** Reconnect quickly after a blip, then at most every 2 s; never give up. */
function reconnectDelay(retries: number): number {
  return Math.min(50 * 2 ** retries, 2_000) + Math.floor(Math.random() * 50);
}

/** `host:port` of a Redis URL: never its user name or password. */
function serverLabel(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname || "127.0.0.1"}:${parsed.port || "6379"}`;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Connection errors name addresses and codes, never values; keep them to one short line.
  return (message.split("\n")[0] ?? "").slice(0, 200);
}

/**
 * The plugin's one way to Redis: a client (the caller's, never quit; or its own, created on first
 * use, reconnecting on its own), a timeout on every command, a circuit breaker that skips Redis
 * while it fails, and a lazily subscribed pub/sub connection for "token ready" notices. Nothing
 * here throws into a token request or leaves a promise unobserved.
 */
export class RedisConnection {
  readonly #options: ResolvedRedisCacheOptions;
  readonly #clock: () => Clock;
  readonly #breaker: CircuitBreaker;
  readonly #channel: string;
  readonly #listeners = new Map<string, Set<() => void>>();
  readonly #onError = (): void => {
    // node-redis emits 'error' on every failed (re)connect: without a listener that would crash
    // the process. Outages are reported once, by the breaker, when a command fails.
  };
  readonly server: string;
  #client: RedisClientLike | undefined;
  #ready: Promise<void> | undefined;
  #subscriber: RedisClientLike | undefined;
  #subscribed: Promise<boolean> | undefined;
  #users = 0;
  /** Kinds of refusal already reported (`ERR`, `NOPERM`, ...). */
  readonly #refusals = new Set<string>();
  /** Fire-and-forget commands (lease releases, key checks) still out: closing waits for them. */
  readonly #background = new Set<Promise<unknown>>();

  readonly #onRecovered: () => void;

  /** `onRecovered` is told when a command succeeds again after an outage. */
  constructor(options: ResolvedRedisCacheOptions, clock: () => Clock, onRecovered: () => void) {
    this.#options = options;
    this.#clock = clock;
    this.#onRecovered = onRecovered;
    this.#breaker = new CircuitBreaker(clock);
    this.#channel = `${options.keyPrefix}settled`;
    this.server =
      options.connection.kind === "url"
        ? serverLabel(options.connection.url)
        : "(the client given to redisCachePlugin)";
  }

  /** Whether Redis is being skipped because it failed. */
  get skipping(): boolean {
    return this.#breaker.isOpen;
  }

  /**
   * A store opened on this connection. The plugin's own client starts connecting now, while the
   * application is still starting up, so the first token request does not wait for it.
   */
  retain(): void {
    this.#users++;
    this.#client ??= this.#open();
  }

  /** A store closed: the last one closes what the plugin itself opened (never the caller's client). */
  async release(): Promise<void> {
    if (--this.#users > 0) return;
    // A lease release or a throttle not yet sent would leave the others waiting for nothing.
    await Promise.allSettled([...this.#background]);
    if (this.#users > 0) return;
    const own = this.#options.connection.kind === "url" ? this.#client : undefined;
    const subscriber = this.#subscriber;
    this.#client = undefined;
    this.#ready = undefined;
    this.#subscriber = undefined;
    this.#subscribed = undefined;
    await Promise.all([close(own), close(subscriber)]);
  }

  /**
   * Runs one command under the timeout and the breaker. While Redis is failing the command is
   * not sent at all (except one probe per back-off), so a down Redis costs nothing per call.
   */
  async run<T>(send: (client: RedisClientLike) => Promise<T>): Promise<CommandResult<T>> {
    if (!this.#breaker.allow()) return { ok: false, report: undefined };
    try {
      const client = await this.#connected();
      const value = await this.#withTimeout(send(client));
      if (this.#breaker.succeeded()) this.#onRecovered();
      return { ok: true, value };
    } catch (error) {
      const refused = refusal(error);
      if (refused !== undefined) {
        // Redis is up and said no (an old version, a missing permission): not an outage, so the
        // breaker stays closed; each kind of refusal is reported once.
        this.#breaker.succeeded();
        if (this.#refusals.has(refused)) return { ok: false, report: undefined };
        this.#refusals.add(refused);
        return { ok: false, report: new RedisCacheError(this.server, "command", describe(error)) };
      }
      const started = this.#breaker.failed();
      return { ok: false, report: started ? this.#asCacheError(error) : undefined };
    }
  }

  /** Runs a command nobody awaits; `close` waits for it. Never rejects. */
  background<T>(send: (client: RedisClientLike) => Promise<T>): Promise<CommandResult<T>> {
    const running = this.run(send);
    this.#background.add(running);
    void running.finally(() => this.#background.delete(running));
    return running;
  }

  /**
   * Calls `listener` when a process announces it settled `id`; returns the unsubscribe. Best
   * effort: if pub/sub is unavailable, waiters fall back to polling.
   */
  onSettled(id: string, listener: () => void): () => void {
    let set = this.#listeners.get(id);
    if (set === undefined) this.#listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#listeners.get(id) === set) this.#listeners.delete(id);
    };
  }

  /** Subscribes to the settle channel once (retried after a failure); resolves whether it is on. */
  subscribe(): Promise<boolean> {
    if (this.#breaker.isOpen) return Promise.resolve(false);
    this.#subscribed ??= this.#subscribe().catch(() => {
      this.#subscribed = undefined;
      return false;
    });
    return this.#subscribed;
  }

  /** The channel settle notices go to. */
  get channel(): string {
    return this.#channel;
  }

  async #subscribe(): Promise<boolean> {
    const client = await this.#connected();
    const subscriber = client.duplicate();
    subscriber.on("error", this.#onError);
    this.#subscriber = subscriber;
    // Pub/sub only wakes waiters: it must never keep the process alive on its own.
    subscriber.unref?.();
    const connecting = subscriber.connect();
    connecting.catch(() => {});
    await this.#withTimeout(connecting);
    await this.#withTimeout(
      subscriber.subscribe(this.#channel, (message) => {
        const set = this.#listeners.get(message);
        if (set !== undefined) for (const listener of [...set]) listener();
      }),
    );
    return true;
  }

  /** The client, connected (or failing fast when it is not). */
  async #connected(): Promise<RedisClientLike> {
    const client = (this.#client ??= this.#open());
    if (client.isReady) return client;
    if (this.#ready !== undefined) {
      // The plugin's own client, still making its first connection: wait for it, within the timeout.
      await this.#withTimeout(this.#ready);
      if (client.isReady) return client;
    }
    throw new RedisCacheError(this.server, "unavailable", "not connected");
  }

  #open(): RedisClientLike {
    const connection = this.#options.connection;
    if (connection.kind === "client") return connection.client;
    const client = createClient({
      url: connection.url,
      // A command while disconnected fails at once instead of queueing until the timeout.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: Math.max(this.#options.commandTimeoutInMs, 1_000),
        reconnectStrategy: reconnectDelay,
      },
    }) as unknown as RedisClientLike;
    client.on("error", this.#onError);
    // A cache connection must never keep the process alive on its own.
    client.unref?.();
    let markReady!: () => void;
    this.#ready = new Promise<void>((resolve) => (markReady = resolve));
    client.on("ready", () => markReady());
    // Reconnects on its own (reconnectStrategy); a rejection here is only the first attempt's.
    client.connect().catch(() => {});
    return client;
  }

  async #withTimeout<T>(command: Promise<T>): Promise<T> {
    // A late reply or rejection after the timeout is dropped, never unhandled.
    command.catch(() => {});
    const timeoutInMs = this.#options.commandTimeoutInMs;
    const stop = new AbortController();
    const timedOut = sleep(this.#clock(), timeoutInMs, stop.signal).then(
      () => {
        throw new RedisCacheError(this.server, "timeout", `no answer within ${timeoutInMs} ms`);
      },
      () => undefined as never,
    );
    try {
      return await Promise.race([command, timedOut]);
    } finally {
      stop.abort();
    }
  }

  #asCacheError(error: unknown): RedisCacheError {
    if (error instanceof RedisCacheError) return error;
    // A reply error here means the server is failing (loading, busy, cluster down): unavailable.
    return new RedisCacheError(this.server, "unavailable", describe(error));
  }
}

/** Reply errors that mean the server cannot serve right now: an outage, as a timeout is. */
const FAILING = new Set(["LOADING", "BUSY", "CLUSTERDOWN", "MASTERDOWN", "TRYAGAIN", "OOM"]);

/** The code of an error reply from Redis (`ERR`, `WRONGTYPE`, ...), else `undefined`. */
function replyCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const kind = error.constructor.name;
  if (kind !== "ErrorReply" && kind !== "SimpleError" && kind !== "BlobError") return undefined;
  return /^([A-Z]+)\b/.exec(error.message)?.[1] ?? "ERR";
}

/** The code of a reply error that is a refusal (Redis is fine, the command is not), else `undefined`. */
function refusal(error: unknown): string | undefined {
  const code = replyCode(error);
  return code === undefined || FAILING.has(code) ? undefined : code;
}

/** Closes a client the plugin opened: gracefully (replies still due arrive first), else at once. */
async function close(client: RedisClientLike | undefined): Promise<void> {
  if (client === undefined) return;
  try {
    if (!client.isOpen) client.destroy?.();
    else if (client.close !== undefined)
      await client.close(); // v5
    else if (client.quit !== undefined)
      await client.quit(); // v4
    else client.destroy?.();
  } catch {
    client.destroy?.();
  }
}
