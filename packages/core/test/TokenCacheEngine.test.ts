import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ClientAuthenticationError,
  CredentialUnavailableError,
  ManualClock,
  TokenCacheEngine,
  type AccessToken,
  type CacheRequest,
  type TokenCacheEngineOptions,
} from "../src/index.js";
import { deferred, type Deferred } from "./support/deferred.js";
import { MemoryTokenStore } from "./support/MemoryTokenStore.js";
import { flush } from "./support/until.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const request = (key = "k", extra: Partial<CacheRequest> = {}): CacheRequest => ({
  key,
  scopes: ["scope"],
  tenantId: "tenant",
  cae: false,
  ...extra,
});

interface Acquisition {
  request: CacheRequest;
  signal: AbortSignal;
  reply: Deferred<AccessToken>;
}

/**
 * An engine on a manual clock whose acquisitions the test settles one by one (`pending`), or at
 * once with a one-hour token when `auto` is set.
 */
function setup(options: Partial<TokenCacheEngineOptions> & { auto?: boolean } = {}) {
  const clock = new ManualClock();
  const acquisitions: Acquisition[] = [];
  const refreshes: { outcome: string; error?: unknown; next?: number; request: CacheRequest }[] =
    [];
  const persistenceErrors: { operation: string; error: unknown }[] = [];
  const { auto = true, ...engineOptions } = options;
  /** Tokens the next acquisitions answer with, before any default. */
  const planned: AccessToken[] = [];
  const engine = new TokenCacheEngine({
    clock,
    acquire: (req, signal) => {
      const reply = deferred<AccessToken>();
      acquisitions.push({ request: req, signal, reply });
      const next = planned.shift();
      if (next !== undefined) reply.resolve(next);
      else if (auto) {
        reply.resolve({
          token: `token-${acquisitions.length}`,
          expiresOnTimestamp: clock.now() + HOUR,
        });
      }
      return reply.promise;
    },
    onRefresh: (req, outcome, error, next) =>
      refreshes.push({ outcome, error, next, request: req }),
    onPersistenceError: (_req, operation, error) => persistenceErrors.push({ operation, error }),
    ...engineOptions,
  });
  const last = (): Acquisition => acquisitions[acquisitions.length - 1]!;
  const tokenFor = (lifetime: number, value: string, refreshIn?: number): AccessToken => ({
    token: value,
    expiresOnTimestamp: clock.now() + lifetime,
    ...(refreshIn === undefined ? {} : { refreshAfterTimestamp: clock.now() + refreshIn }),
  });
  /** Caches `value` for `key` through a settled acquisition. */
  const seed = async (key: string, lifetime = HOUR, value = `seed-${key}`, refreshIn?: number) => {
    planned.push(tokenFor(lifetime, value, refreshIn));
    return engine.acquire(request(key));
  };
  return { clock, engine, acquisitions, refreshes, persistenceErrors, last, tokenFor, seed };
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeAll(() => {
  process.on("unhandledRejection", onUnhandled);
});
afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
});

describe("TokenCacheEngine lookup", () => {
  it("misses, then answers from memory with one preallocated answer", async () => {
    const { engine, acquisitions } = setup();
    expect(engine.lookup("k")).toBeUndefined();
    const first = await engine.acquire(request("k"));
    expect(first).toMatchObject({ result: "miss", token: { token: "token-1" } });
    const hit = engine.lookup("k");
    expect(hit).toMatchObject({ result: "hit", token: { token: "token-1", tokenType: "Bearer" } });
    // The same object every time (a hit allocates nothing); the token a caller gets is frozen.
    expect(engine.lookup("k")).toBe(hit);
    expect(Object.isFrozen(hit?.token)).toBe(true);
    expect(acquisitions).toHaveLength(1);
  });

  it("keeps thousands of keys apart", async () => {
    const { engine } = setup();
    const keys = Array.from({ length: 10_000 }, (_, i) => `key-${i}`);
    for (const key of keys) await engine.acquire(request(key));
    expect(engine.size).toBe(10_000);
    keys.forEach((key, i) => {
      expect(engine.lookup(key)?.token.token).toBe(`token-${i + 1}`);
    });
  });

  it("rejects nonsense settings with a RangeError", () => {
    const acquire = () => Promise.reject(new Error("unused"));
    const clock = new ManualClock();
    expect(() => new TokenCacheEngine({ clock, acquire, refreshOffsetInMs: -1 })).toThrow(
      RangeError,
    );
    expect(() => new TokenCacheEngine({ clock, acquire, retryIntervalInMs: NaN })).toThrow(
      RangeError,
    );
    expect(() => new TokenCacheEngine({ clock, acquire, maxEntries: 0 })).toThrow(RangeError);
    expect(() => new TokenCacheEngine({ clock, acquire, maxEntries: 1.5 })).toThrow(RangeError);
  });
});

describe("single flight", () => {
  it("1,000 concurrent misses share one acquisition", async () => {
    const { engine, acquisitions, last } = setup({ auto: false });
    const all = Array.from({ length: 1000 }, () => engine.acquire(request("k")));
    expect(acquisitions).toHaveLength(1);
    last().reply.resolve({ token: "shared", expiresOnTimestamp: Date.UTC(2027, 0, 1) });
    const answers = await Promise.all(all);
    expect(new Set(answers.map((a) => a.token)).size).toBe(1);
    expect(answers[0]?.token.token).toBe("shared");
    expect(acquisitions).toHaveLength(1);
  });

  it("1,000 concurrent misses against a failing acquisition: one call, one shared error, not cached", async () => {
    const { engine, acquisitions, last } = setup({ auto: false });
    const all = Array.from({ length: 1000 }, () =>
      engine.acquire(request("k")).then(
        () => "resolved",
        (error: unknown) => error,
      ),
    );
    const failure = new ClientAuthenticationError("invalid_client", { statusCode: 401 });
    last().reply.reject(failure);
    const outcomes = await Promise.all(all);
    expect(acquisitions).toHaveLength(1);
    expect(outcomes.every((outcome) => outcome === failure)).toBe(true);

    // The failure is not remembered: the next caller tries again.
    const retry = engine.acquire(request("k"));
    expect(acquisitions).toHaveLength(2);
    last().reply.resolve({ token: "later", expiresOnTimestamp: Date.UTC(2027, 0, 1) });
    await expect(retry).resolves.toMatchObject({ token: { token: "later" } });
  });

  it("keeps one flight per key: other keys are not blocked", async () => {
    const { engine, acquisitions } = setup({ auto: false });
    void engine.acquire(request("a")).catch(() => {});
    void engine.acquire(request("b")).catch(() => {});
    void engine.acquire(request("a")).catch(() => {});
    expect(acquisitions.map((a) => a.request.key)).toEqual(["a", "b"]);
    engine.clear(new Error("done"));
  });
});

describe("claims", () => {
  it("a claims request goes to acquire even when cached; its token serves later plain calls", async () => {
    const { engine, acquisitions, last, seed, clock } = setup({ auto: false });
    await seed("k", HOUR, "plain");
    const claims = '{"access_token":{"nbf":{"essential":true}}}';
    const challenged = engine.acquire(request("k", { claims }));
    expect(acquisitions).toHaveLength(2);
    expect(last().request.claims).toBe(claims);
    last().reply.resolve({ token: "after-claims", expiresOnTimestamp: clock.now() + HOUR });
    await expect(challenged).resolves.toMatchObject({
      result: "miss",
      token: { token: "after-claims" },
    });
    expect(engine.lookup("k")?.token.token).toBe("after-claims");

    // Refreshing that token later must not replay the old challenge.
    clock.advance(HOUR - 5 * MINUTE);
    expect(engine.lookup("k")?.result).toBe("refresh");
    expect(acquisitions).toHaveLength(3);
    expect(last().request.claims).toBeUndefined();
    last().reply.resolve({ token: "refreshed", expiresOnTimestamp: clock.now() + HOUR });
  });

  it("a claims request does not join the plain flight for the same key", async () => {
    const { engine, acquisitions } = setup();
    const plain = engine.acquire(request("k"));
    const challenged = engine.acquire(request("k", { claims: "{}" }));
    expect(acquisitions).toHaveLength(2);
    await Promise.all([plain, challenged]);
  });
});

describe("refresh window", () => {
  it("starts at the server's refresh_in: the cached token answers at once while one refresh runs", async () => {
    const { engine, clock, acquisitions, last, seed, refreshes } = setup({ auto: false });
    await seed("k", HOUR, "old", 30 * MINUTE);
    clock.advance(30 * MINUTE - 1);
    expect(engine.lookup("k")?.result).toBe("hit");
    expect(acquisitions).toHaveLength(1);

    clock.advance(1);
    const answers = Array.from({ length: 1000 }, () => engine.lookup("k"));
    expect(answers.every((a) => a?.result === "refresh" && a.token.token === "old")).toBe(true);
    expect(acquisitions).toHaveLength(2);
    expect(refreshes.map((r) => r.outcome)).toEqual(["started"]);

    last().reply.resolve({ token: "new", expiresOnTimestamp: clock.now() + HOUR });
    await flush();
    expect(refreshes.map((r) => r.outcome)).toEqual(["started", "succeeded"]);
    expect(engine.lookup("k")).toMatchObject({ result: "hit", token: { token: "new" } });
    expect(acquisitions).toHaveLength(2);
  });

  it("ignores a refresh_in that is not before expiry", async () => {
    const { clock, seed } = setup();
    const answer = await seed("k", HOUR, "t", 2 * HOUR);
    expect(answer.token.refreshAfterTimestamp).toBe(clock.now() + HOUR - 5 * MINUTE);
  });

  it("defaults to expiry minus 5 minutes", async () => {
    const { engine, clock, acquisitions, seed } = setup();
    const answer = await seed("k", HOUR);
    expect(answer.token.refreshAfterTimestamp).toBe(clock.now() + 55 * MINUTE);
    clock.advance(55 * MINUTE - 1);
    expect(engine.lookup("k")?.result).toBe("hit");
    clock.advance(1);
    expect(engine.lookup("k")?.result).toBe("refresh");
    expect(acquisitions).toHaveLength(2);
  });

  it("honours refreshOffsetInMs", async () => {
    const { engine, clock, seed } = setup({ refreshOffsetInMs: 20 * MINUTE });
    await seed("k", HOUR);
    clock.advance(40 * MINUTE - 1);
    expect(engine.lookup("k")?.result).toBe("hit");
    clock.advance(1);
    expect(engine.lookup("k")?.result).toBe("refresh");
  });

  it("a failed background refresh keeps serving the token and retries no sooner than 30 s", async () => {
    const { engine, clock, acquisitions, last, seed, refreshes } = setup({ auto: false });
    await seed("k", HOUR, "old");
    clock.advance(55 * MINUTE);
    expect(engine.lookup("k")?.token.token).toBe("old");
    expect(acquisitions).toHaveLength(2);
    const failure = new Error("authority unreachable");
    last().reply.reject(failure);
    await flush();
    expect(refreshes.at(-1)).toMatchObject({
      outcome: "failed",
      error: failure,
      next: clock.now() + 30 * SECOND,
    });

    clock.advance(30 * SECOND - 1);
    for (let i = 0; i < 100; i++) expect(engine.lookup("k")?.token.token).toBe("old");
    expect(acquisitions).toHaveLength(2);

    clock.advance(1);
    expect(engine.lookup("k")?.result).toBe("refresh");
    expect(acquisitions).toHaveLength(3);
    last().reply.resolve({ token: "new", expiresOnTimestamp: clock.now() + HOUR });
    await flush();
    expect(engine.lookup("k")?.token.token).toBe("new");
    expect(unhandled).toEqual([]);
  });

  it("honours retryIntervalInMs", async () => {
    const { engine, clock, acquisitions, last, seed } = setup({
      auto: false,
      retryIntervalInMs: 5 * SECOND,
    });
    await seed("k");
    clock.advance(55 * MINUTE);
    engine.lookup("k");
    last().reply.reject(new Error("down"));
    await flush();
    clock.advance(5 * SECOND - 1);
    engine.lookup("k");
    expect(acquisitions).toHaveLength(2);
    clock.advance(1);
    engine.lookup("k");
    expect(acquisitions).toHaveLength(3);
    last().reply.reject(new Error("down"));
    await flush();
    expect(unhandled).toEqual([]);
  });

  it("once the token has expired, callers wait for a new one", async () => {
    const { engine, clock, acquisitions, last, seed } = setup({ auto: false });
    await seed("k", HOUR, "old");
    clock.advance(HOUR);
    expect(engine.lookup("k")).toBeUndefined();
    let settled = false;
    const waiting = engine.acquire(request("k")).finally(() => {
      settled = true;
    });
    await flush();
    expect(settled).toBe(false);
    expect(acquisitions).toHaveLength(2);
    last().reply.resolve({ token: "fresh", expiresOnTimestamp: clock.now() + HOUR });
    await expect(waiting).resolves.toMatchObject({ result: "miss", token: { token: "fresh" } });
  });

  it("a hung background refresh does not block callers once the token expired", async () => {
    const { engine, clock, acquisitions, last, seed } = setup({ auto: false });
    await seed("k", HOUR, "old");
    clock.advance(55 * MINUTE);
    engine.lookup("k");
    expect(acquisitions).toHaveLength(2);
    const stale = last();
    clock.advance(5 * MINUTE);
    expect(engine.lookup("k")).toBeUndefined();
    const waiting = Array.from({ length: 10 }, () => engine.acquire(request("k")));
    // One fresh foreground request shared by every caller; the stale refresh is abandoned.
    expect(acquisitions).toHaveLength(3);
    expect(stale.signal.aborted).toBe(true);
    last().reply.resolve({ token: "fresh", expiresOnTimestamp: clock.now() + HOUR });
    for (const answer of await Promise.all(waiting)) expect(answer.token.token).toBe("fresh");
    // The abandoned refresh answering late changes nothing.
    stale.reply.resolve({ token: "stale", expiresOnTimestamp: clock.now() + HOUR });
    await flush();
    expect(engine.lookup("k")?.token.token).toBe("fresh");
  });

  it("refreshes a token that lives less than the offset half-way, not on every call", async () => {
    const { engine, clock, acquisitions, last, seed } = setup({ auto: false });
    await seed("k", 4 * MINUTE, "short");
    clock.advance(2 * MINUTE - 1);
    for (let i = 0; i < 10; i++) expect(engine.lookup("k")?.result).toBe("hit");
    expect(acquisitions).toHaveLength(1);
    clock.advance(1);
    expect(engine.lookup("k")?.result).toBe("refresh");
    expect(acquisitions).toHaveLength(2);
    last().reply.resolve({ token: "short-2", expiresOnTimestamp: clock.now() + 4 * MINUTE });
    await flush();
    for (let i = 0; i < 10; i++) expect(engine.lookup("k")?.result).toBe("hit");
    clock.advance(2 * MINUTE - 1);
    expect(engine.lookup("k")?.result).toBe("hit");
    expect(acquisitions).toHaveLength(2);
  });
});

describe("eviction", () => {
  it("drops an expired token when it is looked up", async () => {
    const { engine, clock, seed } = setup();
    await seed("k", MINUTE);
    expect(engine.size).toBe(1);
    clock.advance(MINUTE);
    expect(engine.lookup("k")).toBeUndefined();
    expect(engine.size).toBe(0);
  });

  it("sweeps expired tokens nobody asks for again", async () => {
    const { engine, clock, seed } = setup();
    for (let i = 0; i < 10; i++) await seed(`short-${i}`, MINUTE);
    clock.advance(MINUTE);
    for (let i = 0; i < 64; i++) await seed(`long-${i}`, HOUR);
    expect(engine.size).toBe(64);
    for (let i = 0; i < 10; i++) expect(engine.lookup(`short-${i}`)).toBeUndefined();
  });

  it("evicts in batches of a tenth of the cap, least recently used first", async () => {
    const { engine, seed } = setup({ maxEntries: 20 });
    for (let i = 0; i < 20; i++) await seed(`k${i}`);
    expect(engine.lookup("k0")?.result).toBe("hit"); // k0 is now the most recently used
    await seed("k20");
    expect(engine.size).toBe(19);
    expect(engine.lookup("k0")).toBeDefined();
    expect(engine.lookup("k1")).toBeUndefined();
    expect(engine.lookup("k2")).toBeUndefined();
    expect(engine.lookup("k3")).toBeDefined();
  });

  it("caps memory at maxEntries, evicting the least recently used first", async () => {
    const { engine, seed } = setup({ maxEntries: 3 });
    await seed("a");
    await seed("b");
    await seed("c");
    expect(engine.lookup("a")?.result).toBe("hit"); // a is now the most recently used
    await seed("d");
    expect(engine.size).toBe(3);
    expect(engine.lookup("b")).toBeUndefined();
    expect(engine.lookup("a")).toBeDefined();
    expect(engine.lookup("c")).toBeDefined();
    expect(engine.lookup("d")).toBeDefined();
    await seed("e"); // a, c, d were used in that order: a goes
    expect(engine.lookup("a")).toBeUndefined();
    expect(engine.size).toBe(3);
  });
});

describe("abort", () => {
  it("one caller's abort stops only that caller's wait", async () => {
    const { engine, acquisitions, last, clock } = setup({ auto: false });
    const controller = new AbortController();
    const patient = engine.acquire(request("k"));
    const impatient = engine.acquire(request("k"), controller.signal);
    controller.abort();
    await expect(impatient).rejects.toMatchObject({ name: "AbortError" });
    expect(last().signal.aborted).toBe(false);
    last().reply.resolve({ token: "t", expiresOnTimestamp: clock.now() + HOUR });
    await expect(patient).resolves.toMatchObject({ token: { token: "t" } });
    expect(acquisitions).toHaveLength(1);
  });

  it("aborts the acquisition when every caller has given up, and the next caller starts afresh", async () => {
    const { engine, acquisitions, last, clock } = setup({ auto: false });
    const controllers = [new AbortController(), new AbortController()];
    const waits = controllers.map((c) =>
      engine.acquire(request("k"), c.signal).catch((e: unknown) => e),
    );
    controllers[0]!.abort();
    await flush();
    expect(last().signal.aborted).toBe(false);
    controllers[1]!.abort();
    await Promise.all(waits);
    expect(acquisitions[0]!.signal.aborted).toBe(true);

    const next = engine.acquire(request("k"));
    expect(acquisitions).toHaveLength(2);
    last().reply.resolve({ token: "t", expiresOnTimestamp: clock.now() + HOUR });
    await expect(next).resolves.toMatchObject({ token: { token: "t" } });
    acquisitions[0]!.reply.reject(new Error("aborted"));
    await flush();
    expect(unhandled).toEqual([]);
  });

  it("a caller that gives up on a background refresh does not abort it", async () => {
    const { engine, clock, acquisitions, last, seed } = setup({ auto: false });
    await seed("k");
    clock.advance(55 * MINUTE);
    engine.lookup("k");
    clock.advance(30_000); // still valid, refresh within its deadline: a caller may join it
    const controller = new AbortController();
    const impatient = engine.acquire(request("k"), controller.signal);
    controller.abort();
    await expect(impatient).rejects.toMatchObject({ name: "AbortError" });
    expect(last().signal.aborted).toBe(false);
    last().reply.resolve({ token: "t", expiresOnTimestamp: clock.now() + HOUR });
    await flush();
    expect(engine.lookup("k")?.token.token).toBe("t");
    expect(acquisitions).toHaveLength(2);
  });

  it("clear() aborts every flight and forgets every token", async () => {
    const { engine, acquisitions, seed } = setup({ auto: false });
    await seed("cached");
    const pending = engine.acquire(request("k")).catch((e: unknown) => e);
    const reason = new Error("closed");
    engine.clear(reason);
    expect(acquisitions.at(-1)!.signal.reason).toBe(reason);
    expect(engine.size).toBe(0);
    expect(engine.lookup("cached")).toBeUndefined();
    acquisitions.at(-1)!.reply.reject(reason);
    await expect(pending).resolves.toBe(reason);
  });
});

describe("persistence tier", () => {
  function persistent(options: Partial<TokenCacheEngineOptions> & { auto?: boolean } = {}) {
    const stores = { cae: new MemoryTokenStore(), nocae: new MemoryTokenStore() };
    const context = setup({
      persistentStore: (cae) => (cae ? stores.cae : stores.nocae),
      ...options,
    });
    return { ...context, stores };
  }

  it("reads the store on a memory miss and answers from it without the network", async () => {
    const { engine, clock, acquisitions, stores } = persistent();
    stores.nocae.tokens.set("k", { token: "stored", expiresOnTimestamp: clock.now() + HOUR });
    await expect(engine.acquire(request("k"))).resolves.toMatchObject({
      result: "persistent-hit",
      token: { token: "stored" },
    });
    expect(acquisitions).toHaveLength(0);
    expect(engine.lookup("k")?.token.token).toBe("stored");
    expect(stores.nocae.gets).toBe(1);
  });

  it("skips an expired stored token and writes the network's token back", async () => {
    const { engine, clock, acquisitions, stores } = persistent();
    stores.nocae.tokens.set("k", { token: "stale", expiresOnTimestamp: clock.now() });
    await expect(engine.acquire(request("k"))).resolves.toMatchObject({ result: "miss" });
    expect(acquisitions).toHaveLength(1);
    expect(stores.nocae.sets).toBe(1);
    expect(stores.nocae.tokens.get("k")?.token).toBe("token-1");
  });

  it("a malformed stored token is a miss, not served", async () => {
    const { engine, clock, acquisitions, stores } = persistent();
    stores.nocae.tokens.set("k", {
      token: 42,
      expiresOnTimestamp: clock.now() + HOUR,
    } as unknown as AccessToken);
    await expect(engine.acquire(request("k"))).resolves.toMatchObject({ result: "miss" });
    expect(acquisitions).toHaveLength(1);
  });

  it("keeps CAE and non-CAE tokens in their own stores", async () => {
    const { engine, stores } = persistent();
    await engine.acquire(request("plain"));
    await engine.acquire(request("cae", { cae: true }));
    expect([...stores.nocae.tokens.keys()]).toEqual(["plain"]);
    expect([...stores.cae.tokens.keys()]).toEqual(["cae"]);
  });

  it("a claims request does not read the store", async () => {
    const { engine, clock, acquisitions, stores } = persistent();
    stores.nocae.tokens.set("k", { token: "stored", expiresOnTimestamp: clock.now() + HOUR });
    await expect(engine.acquire(request("k", { claims: "{}" }))).resolves.toMatchObject({
      result: "miss",
    });
    expect(stores.nocae.gets).toBe(0);
    expect(acquisitions).toHaveLength(1);
  });

  it("a CredentialUnavailableError from the store reaches the caller; the network is not tried", async () => {
    const { engine, acquisitions, stores, persistenceErrors } = persistent();
    const unavailable = new CredentialUnavailableError("no encryption key and no consent");
    stores.nocae.getError = unavailable;
    await expect(engine.acquire(request("k"))).rejects.toBe(unavailable);
    expect(acquisitions).toHaveLength(0);
    expect(persistenceErrors).toEqual([]);
  });

  it("other store errors are reported and the network answers", async () => {
    const { engine, acquisitions, stores, persistenceErrors } = persistent();
    const readError = new Error("EACCES");
    const writeError = new Error("ENOSPC");
    stores.nocae.getError = readError;
    stores.nocae.setError = writeError;
    await expect(engine.acquire(request("k"))).resolves.toMatchObject({
      result: "miss",
      token: { token: "token-1" },
    });
    expect(acquisitions).toHaveLength(1);
    expect(persistenceErrors).toEqual([
      { operation: "read", error: readError },
      { operation: "write", error: writeError },
    ]);
  });

  it("a background refresh does not take back the stored copy of the token it refreshes", async () => {
    const { engine, clock, acquisitions, stores, last } = persistent({ auto: false });
    const first = engine.acquire(request("k"));
    await flush();
    last().reply.resolve({ token: "old", expiresOnTimestamp: clock.now() + HOUR });
    await first;
    expect(stores.nocae.tokens.get("k")?.token).toBe("old");

    clock.advance(55 * MINUTE);
    engine.lookup("k");
    await flush();
    expect(acquisitions).toHaveLength(2);
    last().reply.resolve({ token: "new", expiresOnTimestamp: clock.now() + HOUR });
    await flush();
    expect(engine.lookup("k")?.token.token).toBe("new");
    expect(stores.nocae.tokens.get("k")?.token).toBe("new");
  });

  it("a background refresh takes a newer token another process stored", async () => {
    const { engine, clock, acquisitions, stores, last } = persistent({ auto: false });
    const first = engine.acquire(request("k"));
    await flush();
    last().reply.resolve({ token: "old", expiresOnTimestamp: clock.now() + HOUR });
    await first;

    clock.advance(55 * MINUTE);
    stores.nocae.tokens.set("k", {
      token: "other-process",
      expiresOnTimestamp: clock.now() + HOUR,
    });
    expect(engine.lookup("k")?.result).toBe("refresh");
    await flush();
    expect(acquisitions).toHaveLength(1);
    expect(engine.lookup("k")).toMatchObject({ result: "hit", token: { token: "other-process" } });
  });
});
