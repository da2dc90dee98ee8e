import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ClientAuthenticationError,
  ManualClock,
  TokenCacheEngine,
  type AccessToken,
  type CacheRequest,
  type TokenCoordination,
  type TokenCoordinationOutcome,
} from "../src/index.js";
import { deferred, type Deferred } from "./support/deferred.js";
import { MemoryTokenStore } from "./support/MemoryTokenStore.js";
import { flush } from "./support/until.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const request = (key = "k", extra: Partial<CacheRequest> = {}): CacheRequest => ({
  key,
  partition: "authority|client|tenant|nocae|",
  scopes: ["scope"],
  tenantId: "tenant",
  cae: false,
  ...extra,
});
const CANONICAL = "authority|client|tenant|nocae|k";

/** A memory store with the cross-process hook: the test decides each coordination's answer. */
class CoordinatingStore extends MemoryTokenStore {
  readonly calls: { key: string; signal: AbortSignal; answer: Deferred<TokenCoordination> }[] = [];
  readonly settled: TokenCoordinationOutcome[] = [];
  /** What `tokens` held when each settle ran. */
  readonly storedAtSettle: (string | undefined)[] = [];
  settleError: Error | undefined;

  coordinate(key: string, signal: AbortSignal): Promise<TokenCoordination> {
    const answer = deferred<TokenCoordination>();
    this.calls.push({ key, signal, answer });
    return answer.promise;
  }

  /** The lease-owner answer: fetch yourself, then tell me. */
  owner(): TokenCoordination {
    return {
      settle: (outcome) => {
        this.storedAtSettle.push(this.tokens.get(CANONICAL)?.token);
        this.settled.push(outcome);
        if (this.settleError !== undefined) throw this.settleError;
      },
    };
  }
}

function setup() {
  const clock = new ManualClock();
  const store = new CoordinatingStore();
  const acquisitions: { request: CacheRequest; reply: Deferred<AccessToken> }[] = [];
  const persistenceErrors: { operation: string; error: unknown }[] = [];
  const engine = new TokenCacheEngine({
    clock,
    acquire: (req) => {
      const reply = deferred<AccessToken>();
      acquisitions.push({ request: req, reply });
      return reply.promise;
    },
    persistentStore: () => store,
    onPersistenceError: (_req, operation, error) => persistenceErrors.push({ operation, error }),
  });
  const tokenFor = (value: string, lifetime = HOUR): AccessToken => ({
    token: value,
    expiresOnTimestamp: clock.now() + lifetime,
  });
  return { clock, store, engine, acquisitions, persistenceErrors, tokenFor };
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
  expect(unhandled).toEqual([]);
});

describe("the engine's cross-process coordination hook", () => {
  it("on a persistent miss, coordinates before the network; the owner settles once, after the write", async () => {
    const { engine, store, acquisitions, tokenFor } = setup();
    const answer = engine.acquire(request());
    await flush();
    expect(store.gets).toBe(1);
    expect(store.calls.map((call) => call.key)).toEqual([CANONICAL]);
    expect(acquisitions).toHaveLength(0);

    store.calls[0]!.answer.resolve(store.owner());
    await flush();
    expect(acquisitions).toHaveLength(1);
    expect(store.settled).toEqual([]);
    acquisitions[0]!.reply.resolve(tokenFor("mine"));
    await expect(answer).resolves.toMatchObject({ result: "miss", token: { token: "mine" } });
    expect(store.settled).toEqual([{ token: expect.objectContaining({ token: "mine" }) }]);
    // Woken processes read the store: the token is there before they are told.
    expect(store.storedAtSettle).toEqual(["mine"]);
  });

  it("another process's token answers without the network and is kept in memory", async () => {
    const { engine, store, acquisitions, tokenFor } = setup();
    const answer = engine.acquire(request());
    await flush();
    store.calls[0]!.answer.resolve({ token: tokenFor("theirs") });
    await expect(answer).resolves.toMatchObject({
      result: "persistent-hit",
      token: { token: "theirs" },
    });
    expect(acquisitions).toHaveLength(0);
    expect(store.sets).toBe(0);
    expect(engine.lookup("k", request().partition)?.token.token).toBe("theirs");
  });

  it("callers in one process share one coordination", async () => {
    const { engine, store, tokenFor } = setup();
    const answers = [
      engine.acquire(request()),
      engine.acquire(request()),
      engine.acquire(request()),
    ];
    await flush();
    expect(store.calls).toHaveLength(1);
    store.calls[0]!.answer.resolve({ token: tokenFor("theirs") });
    for (const answer of answers)
      await expect(answer).resolves.toMatchObject({ token: { token: "theirs" } });
  });

  it("an expired token from coordination is not served: the network answers", async () => {
    const { engine, store, acquisitions, tokenFor } = setup();
    const answer = engine.acquire(request());
    await flush();
    store.calls[0]!.answer.resolve({ token: tokenFor("expired", 0) });
    await flush();
    expect(acquisitions).toHaveLength(1);
    acquisitions[0]!.reply.resolve(tokenFor("fresh"));
    await expect(answer).resolves.toMatchObject({ result: "miss", token: { token: "fresh" } });
  });

  it("a failed acquisition settles with the error and the server's Retry-After, then fails the call", async () => {
    const { engine, store, acquisitions } = setup();
    const answer = engine.acquire(request());
    await flush();
    store.calls[0]!.answer.resolve(store.owner());
    await flush();
    const throttled = Object.assign(
      new ClientAuthenticationError("throttled", { statusCode: 429 }),
      { retryAfterInMs: 60_000 },
    );
    acquisitions[0]!.reply.reject(throttled);
    await expect(answer).rejects.toBe(throttled);
    expect(store.settled).toEqual([{ error: throttled, retryAfterInMs: 60_000 }]);
    expect(store.sets).toBe(0);
  });

  it("a failure without Retry-After settles with the error alone", async () => {
    const { engine, store, acquisitions } = setup();
    const answer = engine.acquire(request());
    await flush();
    store.calls[0]!.answer.resolve(store.owner());
    await flush();
    const failure = new Error("connection reset");
    acquisitions[0]!.reply.reject(failure);
    await expect(answer).rejects.toBe(failure);
    expect(store.settled).toEqual([{ error: failure }]);
  });

  it("a shared throttle (429 from coordinate) fails the call without the network", async () => {
    const { engine, store, acquisitions, persistenceErrors } = setup();
    const answer = engine.acquire(request());
    await flush();
    const shared = new ClientAuthenticationError("another replica was throttled", {
      statusCode: 429,
    });
    store.calls[0]!.answer.reject(shared);
    await expect(answer).rejects.toBe(shared);
    expect(acquisitions).toHaveLength(0);
    expect(persistenceErrors).toEqual([]);
  });

  it("any other coordination failure is reported and the network answers", async () => {
    const { engine, store, acquisitions, persistenceErrors, tokenFor } = setup();
    const answer = engine.acquire(request());
    await flush();
    const down = new Error("ECONNREFUSED");
    store.calls[0]!.answer.reject(down);
    await flush();
    expect(persistenceErrors).toEqual([{ operation: "read", error: down }]);
    acquisitions[0]!.reply.resolve(tokenFor("network"));
    await expect(answer).resolves.toMatchObject({ result: "miss", token: { token: "network" } });
  });

  it("a settle that throws is reported; the caller still gets the token", async () => {
    const { engine, store, acquisitions, persistenceErrors, tokenFor } = setup();
    store.settleError = new Error("lease release failed");
    const answer = engine.acquire(request());
    await flush();
    store.calls[0]!.answer.resolve(store.owner());
    await flush();
    acquisitions[0]!.reply.resolve(tokenFor("mine"));
    await expect(answer).resolves.toMatchObject({ token: { token: "mine" } });
    expect(persistenceErrors).toEqual([{ operation: "write", error: store.settleError }]);
  });

  it("a stored token answers first: no coordination", async () => {
    const { engine, store, tokenFor } = setup();
    store.tokens.set(CANONICAL, tokenFor("stored"));
    await expect(engine.acquire(request())).resolves.toMatchObject({ result: "persistent-hit" });
    expect(store.calls).toHaveLength(0);
  });

  it("a claims request neither reads the store nor coordinates", async () => {
    const { engine, store, acquisitions, tokenFor } = setup();
    const answer = engine.acquire(request("k", { claims: '{"access_token":{}}' }));
    await flush();
    expect(store.gets).toBe(0);
    expect(store.calls).toHaveLength(0);
    acquisitions[0]!.reply.resolve(tokenFor("challenged"));
    await expect(answer).resolves.toMatchObject({ token: { token: "challenged" } });
  });

  it("when every caller gives up while waiting on another process, the wait is aborted, not reported", async () => {
    const { engine, store, acquisitions, persistenceErrors } = setup();
    const controller = new AbortController();
    const answer = engine.acquire(request(), controller.signal);
    await flush();
    const coordinationSignal = store.calls[0]!.signal;
    controller.abort(new Error("caller left"));
    await expect(answer).rejects.toMatchObject({ name: "AbortError" });
    expect(coordinationSignal.aborted).toBe(true);
    store.calls[0]!.answer.reject(coordinationSignal.reason);
    await flush();
    expect(acquisitions).toHaveLength(0);
    expect(persistenceErrors).toEqual([]);
  });

  it("a background refresh coordinates too, and takes only a newer token than the one it refreshes", async () => {
    const { engine, clock, store, acquisitions, tokenFor } = setup();
    const first = engine.acquire(request());
    await flush();
    store.calls[0]!.answer.resolve({ token: tokenFor("old") });
    await first;

    clock.advance(56 * MINUTE);
    expect(engine.lookup("k", request().partition)?.result).toBe("refresh");
    await flush();
    expect(store.calls).toHaveLength(2);
    // Another replica refreshed at the same moment: take its token, no request of our own.
    const refreshed = tokenFor("refreshed elsewhere");
    store.calls[1]!.answer.resolve({ token: refreshed });
    await flush();
    expect(acquisitions).toHaveLength(0);
    expect(engine.lookup("k", request().partition)?.token.token).toBe("refreshed elsewhere");

    // What another process would hand back: the token as this engine stored it (with its refresh time).
    const ageing = engine.lookup("k", request().partition)!.token;
    clock.advance(56 * MINUTE);
    engine.lookup("k", request().partition);
    await flush();
    // The same ageing token handed back is not taken: this process refreshes it itself.
    store.calls[2]!.answer.resolve({ token: ageing });
    await flush();
    expect(acquisitions).toHaveLength(1);
  });
});
