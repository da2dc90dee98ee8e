import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ManualClock,
  type AccessToken,
  type CacheErrorEvent,
  type Logger,
  type TokenRefreshEvent,
} from "../src/index.js";
import { CapturingLogger } from "./support/CapturingLogger.js";
import { deferred, type Deferred } from "./support/deferred.js";
import { MemoryPersistence } from "./support/MemoryTokenStore.js";
import { testContainer } from "./support/testContainer.js";
import { TestCredential, type TestCredentialOptions } from "./support/TestCredential.js";
import {
  startTestServer,
  statusReply,
  tokenReply,
  type Reply,
  type TestServer,
} from "./support/testServer.js";
import { flush, until } from "./support/until.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

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

const credentials: TestCredential[] = [];
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(credentials.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A credential on a manual clock whose tokens come from `acquire` (default: one-hour tokens). */
function scripted(options: TestCredentialOptions & { clock?: ManualClock; logger?: Logger } = {}) {
  const clock = options.clock ?? new ManualClock();
  const credential = new TestCredential({
    acquire: (_request, _signal, call) => ({
      token: `token-${call}`,
      expiresOnTimestamp: clock.now() + HOUR,
    }),
    ...options,
    container:
      options.container ??
      testContainer({ clock, ...(options.logger ? { logger: options.logger } : {}) }),
  });
  credentials.push(credential);
  return { credential, clock };
}

/** A credential on a manual clock that asks a real server. */
async function overHttp(
  handler?: (index: number) => Reply | Promise<Reply>,
  options: TestCredentialOptions & { logger?: Logger } = {},
) {
  const server = await startTestServer(handler && ((_, index) => handler(index)));
  servers.push(server);
  const clock = new ManualClock();
  const credential = new TestCredential({
    authorityHost: server.url,
    ...options,
    container: testContainer({ clock, ...(options.logger ? { logger: options.logger } : {}) }),
  });
  credentials.push(credential);
  return { server, clock, credential };
}

describe("cache keys", () => {
  it("treats scopes as a set: order, duplicates and string vs array do not split the cache", async () => {
    const { credential } = scripted();
    await credential.getToken(["b", "a"]);
    await credential.getToken(["a", "b"]);
    await credential.getToken(["a", "b", "a"]);
    expect(credential.calls).toBe(1);
    await credential.getToken("single");
    await credential.getToken(["single"]);
    await credential.getToken(["single", "single"]);
    expect(credential.calls).toBe(2);
    // The wire keeps the caller's order.
    expect(credential.requests[0]?.scopes).toEqual(["b", "a"]);
  });

  it("separates tenants", async () => {
    const { credential } = scripted({ additionallyAllowedTenants: ["tenant-b"] });
    const a = await credential.getToken("scope");
    const b = await credential.getToken("scope", { tenantId: "tenant-b" });
    const aAgain = await credential.getToken("scope", { tenantId: "tenant-a" });
    expect(a.token).not.toBe(b.token);
    expect(aAgain.token).toBe(a.token);
    expect(credential.requests.map((r) => r.tenantId)).toEqual(["tenant-a", "tenant-b"]);
  });

  it("refuses a tenant that is not allowed before any request", async () => {
    const { credential } = scripted();
    await expect(credential.getToken("scope", { tenantId: "tenant-x" })).rejects.toMatchObject({
      name: "ClientAuthenticationError",
      message: expect.stringContaining("additionallyAllowedTenants") as unknown,
    });
    expect(credential.calls).toBe(0);
  });

  it("keeps CAE tokens in their own partition", async () => {
    const { credential } = scripted();
    const plain = await credential.getToken("scope");
    const cae = await credential.getToken("scope", { enableCae: true });
    expect(cae.token).not.toBe(plain.token);
    expect(credential.requests.map((r) => r.cae)).toEqual([false, true]);
    await credential.getToken("scope", { enableCae: true });
    await credential.getToken("scope", { enableCae: false });
    expect(credential.calls).toBe(2);
  });

  it("rejects missing or empty scopes with a TypeError", async () => {
    const { credential } = scripted();
    for (const scopes of [[], "", " ", [""], ["ok", ""], [42]]) {
      await expect(credential.getToken(scopes as string[])).rejects.toBeInstanceOf(TypeError);
    }
    expect(credential.calls).toBe(0);
  });
});

describe("claims", () => {
  it("a claims request bypasses the cache; its token serves a later call without claims", async () => {
    const { credential } = scripted();
    const before = await credential.getToken("scope");
    const claims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';
    const challenged = await credential.getToken("scope", { claims });
    expect(challenged.token).not.toBe(before.token);
    expect(credential.requests[1]?.claims).toBe(claims);
    await expect(credential.getToken("scope")).resolves.toMatchObject({
      token: challenged.token,
    });
    expect(credential.calls).toBe(2);
  });

  it("treats empty claims as no claims", async () => {
    const { credential } = scripted();
    await credential.getToken("scope");
    await credential.getToken("scope", { claims: "" });
    expect(credential.calls).toBe(1);
  });
});

describe("single flight through the credential", () => {
  it("1,000 concurrent getToken calls make one request at the server", async () => {
    const gate = deferred<Reply>();
    const { server, credential } = await overHttp(() => gate.promise);
    const all = Array.from({ length: 1000 }, () => credential.getToken("scope"));
    await until(() => server.count === 1, "the request");
    gate.resolve(tokenReply("shared"));
    const tokens = await Promise.all(all);
    expect(tokens.every((t) => t.token === "shared")).toBe(true);
    expect(server.count).toBe(1);
  });

  it("1,000 concurrent calls against 500s: 4 requests (maxRetries 3), one shared error", async () => {
    const { server, credential } = await overHttp(() => statusReply(500), {
      retryOptions: { maxRetries: 3, retryDelayInMs: 0 },
    });
    const outcomes = await Promise.all(
      Array.from({ length: 1000 }, () =>
        credential.getToken("scope").then(
          () => undefined,
          (error: unknown) => error,
        ),
      ),
    );
    expect(server.count).toBe(4);
    const first = outcomes[0];
    expect(first).toMatchObject({ name: "ClientAuthenticationError", statusCode: 500 });
    expect(outcomes.every((outcome) => outcome === first)).toBe(true);
  });
});

describe("background refresh through the credential", () => {
  it("serves the cached token at once while the server is still answering the refresh", async () => {
    const gate = deferred<Reply>();
    const { server, clock, credential } = await overHttp((index) =>
      index === 0 ? tokenReply("first", 3600, 1800) : gate.promise,
    );
    await expect(credential.getToken("scope")).resolves.toMatchObject({ token: "first" });
    clock.advance(1800 * 1000);
    const during = await Promise.all(
      Array.from({ length: 100 }, () => credential.getToken("scope")),
    );
    expect(during.every((t) => t.token === "first")).toBe(true);
    await until(() => server.count === 2, "the refresh request");
    gate.resolve(tokenReply("second", 3600, 1800));
    await until(() => credential.calls === 2 && server.requests.length === 2);
    await flush();
    await expect(credential.getToken("scope")).resolves.toMatchObject({ token: "second" });
    expect(server.count).toBe(2);
  });

  it("a failed refresh emits token:refresh failed and logs a warning, retries after 30 s, and never rejects unobserved", async () => {
    const logger = new CapturingLogger();
    const failures: Deferred<AccessToken>[] = [];
    const { credential, clock } = scripted({
      logger,
      acquire: (_request, _signal, call) => {
        if (call === 1) return { token: "good", expiresOnTimestamp: clock.now() + HOUR };
        const failure = deferred<AccessToken>();
        failures.push(failure);
        return failure.promise;
      },
    });
    const events: TokenRefreshEvent[] = [];
    credential.events.on("token:refresh", (event) => events.push(event));

    await credential.getToken("scope");
    clock.advance(55 * MINUTE);
    await expect(credential.getToken("scope")).resolves.toMatchObject({ token: "good" });
    expect(failures).toHaveLength(1);
    failures[0]!.reject(new Error("authority down"));
    await flush();

    expect(events.map((e) => e.outcome)).toEqual(["started", "failed"]);
    expect(events[1]).toMatchObject({
      credential: "TestCredential",
      scopes: ["scope"],
      nextAttemptTimestamp: clock.now() + 30_000,
    });
    const warnings = logger.at("warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain("could not refresh");

    clock.advance(29_999);
    await expect(credential.getToken("scope")).resolves.toMatchObject({ token: "good" });
    expect(credential.calls).toBe(2);
    clock.advance(1);
    await expect(credential.getToken("scope")).resolves.toMatchObject({ token: "good" });
    expect(credential.calls).toBe(3);
    failures[1]!.reject(new Error("still down"));
    await flush();
    expect(unhandled).toEqual([]);
  });

  it("a logger that throws while reporting a failed refresh is not an unhandled rejection", async () => {
    const logger = new CapturingLogger();
    logger.warn = () => {
      throw new Error("log transport closed");
    };
    const { credential, clock } = scripted({
      logger,
      acquire: (_request, _signal, call) => {
        if (call === 1) return { token: "good", expiresOnTimestamp: clock.now() + HOUR };
        return Promise.reject(new Error("authority down"));
      },
    });
    await credential.getToken("scope");
    clock.advance(55 * MINUTE);
    await expect(credential.getToken("scope")).resolves.toMatchObject({ token: "good" });
    await flush();
    expect(unhandled).toEqual([]);
  });

  it("once expired, callers wait for the new token", async () => {
    const gate = deferred<AccessToken>();
    const { credential, clock } = scripted({
      acquire: (_request, _signal, call) =>
        call === 1 ? { token: "old", expiresOnTimestamp: clock.now() + HOUR } : gate.promise,
    });
    await credential.getToken("scope");
    clock.advance(HOUR);
    let answered: AccessToken | undefined;
    const waiting = credential.getToken("scope").then((t) => (answered = t));
    await flush();
    expect(answered).toBeUndefined();
    gate.resolve({ token: "new", expiresOnTimestamp: clock.now() + HOUR });
    await waiting;
    expect(answered?.token).toBe("new");
  });
});

describe("memory bound", () => {
  it("maxCachedTokens evicts the least recently used token", async () => {
    const { credential } = scripted({ maxCachedTokens: 2 });
    await credential.getToken("a");
    await credential.getToken("b");
    await credential.getToken("a");
    await credential.getToken("c");
    expect(credential.calls).toBe(3);
    await credential.getToken("a");
    expect(credential.calls).toBe(3);
    await credential.getToken("b");
    expect(credential.calls).toBe(4);
  });
});

describe("persistence through the credential", () => {
  it("opens one store per partition and answers from it with a token:cache-hit", async () => {
    const persistence = new MemoryPersistence();
    const clock = new ManualClock();
    const { credential } = scripted({
      clock,
      container: testContainer({ clock, persistence }),
      cachePersistenceOptions: { name: "my-cache" },
    });
    expect(persistence.opened).toMatchObject([
      { name: "my-cache", partition: "nocae", allowUnencryptedStorage: false, clock },
      { name: "my-cache", partition: "cae", allowUnencryptedStorage: false, clock },
    ]);
    // Each store gets the credential's logger and its own reporter.
    for (const opened of persistence.opened) {
      expect(typeof opened.logger?.warn).toBe("function");
      expect(typeof opened.report).toBe("function");
    }
    await credential.getToken("scope");
    const [key] = [...persistence.stores.nocae.tokens.keys()];
    expect(key).toContain("tenant-a");

    // A second credential with the same identity finds the token in the store.
    const hits: string[] = [];
    const { credential: second } = scripted({
      clock,
      container: testContainer({ clock, persistence }),
      cachePersistenceOptions: { name: "my-cache" },
    });
    second.events.on("token:cache-hit", (e) => hits.push(e.source));
    await expect(second.getToken("scope")).resolves.toMatchObject({ token: "token-1" });
    expect(second.calls).toBe(0);
    expect(hits).toEqual(["persistent"]);
  });

  it("reports other store errors as cache:error and carries on", async () => {
    const persistence = new MemoryPersistence();
    const storeError = new Error("EACCES: permission denied");
    persistence.stores.cae.getError = storeError;
    const clock = new ManualClock();
    const logger = new CapturingLogger();
    const { credential } = scripted({
      clock,
      container: testContainer({ clock, persistence, logger }),
      cachePersistenceOptions: {},
    });
    const errors: CacheErrorEvent[] = [];
    credential.events.on("cache:error", (e) => errors.push(e));
    await expect(credential.getToken("scope", { enableCae: true })).resolves.toBeDefined();
    expect(errors).toEqual([{ store: "msal.cache.cae", operation: "read", error: storeError }]);
    expect(logger.at("warn")).toHaveLength(1);
  });

  it("a store read failure falls back to the network even when the logger throws", async () => {
    const persistence = new MemoryPersistence();
    persistence.stores.nocae.getError = new Error("EIO: i/o error");
    const clock = new ManualClock();
    const throwingLogger = {
      debug: () => {},
      info: () => {},
      warn: () => {
        throw new Error("logger is broken");
      },
      error: () => {},
    };
    const { credential } = scripted({
      clock,
      container: testContainer({ clock, persistence, logger: throwingLogger }),
      cachePersistenceOptions: {},
    });
    await expect(credential.getToken("scope")).resolves.toMatchObject({ token: "token-1" });
    expect(credential.calls).toBe(1);
  });

  it("a CredentialUnavailableError from the store reaches the caller", async () => {
    const persistence = new MemoryPersistence();
    persistence.stores.nocae.getError = Object.assign(new Error("no key"), {
      name: "CredentialUnavailableError",
    });
    const clock = new ManualClock();
    const { credential } = scripted({
      clock,
      container: testContainer({ clock, persistence }),
      cachePersistenceOptions: {},
    });
    await expect(credential.getToken("scope")).rejects.toMatchObject({
      name: "CredentialUnavailableError",
    });
    expect(credential.calls).toBe(0);
  });

  it("needs a persistence plugin when cachePersistenceOptions is set", () => {
    expect(() => new TestCredential({ cachePersistenceOptions: {} })).toThrow(
      /needs a persistence plugin/,
    );
    const persistence = new MemoryPersistence();
    expect(
      () =>
        new TestCredential({
          container: testContainer({ persistence }),
          cachePersistenceOptions: { name: "" },
        }),
    ).toThrow(TypeError);
    // Which characters a name may hold is the backend's rule (cache-file tests "../escape").
    expect(
      () =>
        new TestCredential({
          container: testContainer({ persistence }),
          cachePersistenceOptions: { name: "x".repeat(1 << 20) },
        }),
    ).toThrow(/at most 255 characters/);
  });
});

describe("an already aborted signal", () => {
  it("rejects with AbortError even when the token is cached, and sends nothing", async () => {
    const { credential } = scripted();
    await credential.getToken("scope");
    const controller = new AbortController();
    controller.abort(new Error("caller gave up"));
    await expect(
      credential.getToken("scope", { abortSignal: controller.signal }),
    ).rejects.toMatchObject({ name: "AbortError", cause: { message: "caller gave up" } });
    await expect(
      credential.getToken("other-scope", { abortSignal: controller.signal }),
    ).rejects.toMatchObject({ name: "AbortError" });
    expect(credential.calls).toBe(1);
  });
});

describe("getTokenInfo", () => {
  it("answers in seconds from the same cache", async () => {
    const { credential, clock } = scripted();
    const token = await credential.getToken("scope");
    const info = await credential.getTokenInfo("scope", { unknownKey: true });
    expect(info).toEqual({
      token: token.token,
      expiresOn: Math.floor((clock.now() + HOUR) / 1000),
      refreshOn: Math.floor((clock.now() + 55 * MINUTE) / 1000),
      tokenType: "Bearer",
    });
    expect(credential.calls).toBe(1);
  });
});
