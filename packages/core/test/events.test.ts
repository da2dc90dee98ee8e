import { afterEach, describe, expect, it } from "vitest";
import {
  credentialEventNames,
  credentialEvents,
  CredentialEventEmitter,
  ManualClock,
  type CredentialEventMap,
  type CredentialEventName,
  type TokenAcquiredEvent,
} from "../src/index.js";
import { CapturingLogger } from "./support/CapturingLogger.js";
import { testContainer } from "./support/testContainer.js";
import { TEST_CLIENT_SECRET, TestCredential } from "./support/TestCredential.js";
import {
  startTestServer,
  statusReply,
  tokenReply,
  type Handler,
  type TestServer,
} from "./support/testServer.js";
import { flush } from "./support/until.js";

const EVENT_NAMES = credentialEventNames;

const servers: TestServer[] = [];
afterEach(async () => {
  credentialEvents.removeAllListeners();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(handler: Handler = (_, i) => tokenReply(`secret-access-token-${i}`)) {
  const server = await startTestServer(handler);
  servers.push(server);
  const clock = new ManualClock();
  const logger = new CapturingLogger();
  const credential = new TestCredential({
    authorityHost: server.url,
    additionallyAllowedTenants: ["*"],
    retryOptions: { retryDelayInMs: 0 },
    container: testContainer({ clock, logger }),
  });
  return { server, clock, logger, credential };
}

/** Records every event, with its name, from one emitter. */
function record(emitter: CredentialEventEmitter) {
  const seen: { name: CredentialEventName; payload: unknown }[] = [];
  for (const name of EVENT_NAMES) {
    emitter.on(name, (payload: unknown) => seen.push({ name, payload }));
  }
  return seen;
}

describe("lifecycle events", () => {
  it("are emitted on the credential's events and on credentialEvents", async () => {
    const { credential } = await setup();
    const local = record(credential.events);
    const global = record(credentialEvents);

    await credential.getToken("scope");
    await credential.getToken("scope");
    await credential.close();

    const names = [
      "token:request",
      "http:request",
      "http:response",
      "token:acquired",
      "token:request",
      "token:cache-hit",
      "credential:close",
    ];
    expect(local.map((e) => e.name)).toEqual(names);
    expect(global.map((e) => e.name)).toEqual(names);
    expect(global.map((e) => e.payload)).toEqual(local.map((e) => e.payload));

    expect(local[0]?.payload).toEqual({
      credential: "TestCredential",
      scopes: ["scope"],
      tenantId: "tenant-a",
      cae: false,
      claims: false,
    });
    expect(local[3]?.payload).toMatchObject({
      source: "network",
    } satisfies Partial<TokenAcquiredEvent>);
    // Measured on a monotonic timer, not the injected clock (which has not moved here).
    expect((local[3]?.payload as TokenAcquiredEvent).durationInMs).toBeGreaterThan(0);
    expect(local[5]?.payload).toMatchObject({ source: "memory", refreshing: false });
    expect(local[6]?.payload).toEqual({ credential: "TestCredential" });
  });

  it("token:error reports a failed call", async () => {
    const { credential } = await setup(() => statusReply(401));
    const errors: CredentialEventMap["token:error"][0][] = [];
    credential.events.on("token:error", (e) => errors.push(e));
    await expect(credential.getToken("scope")).rejects.toMatchObject({ statusCode: 401 });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.error).toMatchObject({ name: "ClientAuthenticationError" });
  });

  it("token:refresh reports a background refresh and cache-hit says it is refreshing", async () => {
    const { credential, clock } = await setup();
    const seen = record(credential.events);
    await credential.getToken("scope");
    clock.advance(55 * 60_000);
    await credential.getToken("scope");
    await flush();
    const refresh = seen.filter((e) => e.name === "token:refresh").map((e) => e.payload);
    expect(refresh).toMatchObject([{ outcome: "started" }, { outcome: "succeeded" }]);
    expect(seen.find((e) => e.name === "token:cache-hit")?.payload).toMatchObject({
      refreshing: true,
    });
  });

  it("a hit is reported to listeners added or removed after hits began (the no-listener fast path)", async () => {
    const { credential } = await setup();
    const scope = "https://vault.azure.net/.default";
    await credential.getToken(scope);
    await credential.getToken(scope); // a hit with nobody listening
    const hits: string[] = [];
    credentialEvents.once("token:cache-hit", () => hits.push("global once"));
    await credential.getToken(scope);
    await credential.getToken(scope);
    expect(hits).toEqual(["global once"]);
    credential.events.on("token:cache-hit", () => hits.push("local"));
    await credential.getToken(scope);
    expect(hits).toEqual(["global once", "local"]);
    credential.events.removeAllListeners();
    await credential.getToken(scope);
    expect(hits).toEqual(["global once", "local"]);
    await credential.close();
  });

  it("a tenant's hits still come from memory after its partition was emptied and refilled", async () => {
    const { credential, clock, server } = await setup();
    const scope = "https://vault.azure.net/.default";
    const options = { tenantId: "other-tenant" };
    await credential.getToken(scope, options);
    await credential.getToken(scope, options);
    expect(server.count).toBe(1);
    // Expired: the hit removes the only token, the partition's map is dropped, a new one filled.
    clock.advance(2 * 3_600_000);
    const second = await credential.getToken(scope, options);
    expect(server.count).toBe(2);
    expect((await credential.getToken(scope, options)).token).toBe(second.token);
    expect(server.count).toBe(2);
    await credential.close();
  });
});

describe("listener isolation", () => {
  it("a throwing listener never breaks getToken nor the listeners after it", async () => {
    const { credential, logger } = await setup();
    const calls: string[] = [];
    credential.events.on("token:acquired", () => {
      throw new Error("listener bug");
    });
    credential.events.on("token:acquired", () => calls.push("local after"));
    credentialEvents.on("token:acquired", () => {
      throw new Error("global listener bug");
    });
    credentialEvents.on("token:acquired", () => calls.push("global after"));
    credential.events.once("token:request", () => {
      throw new Error("once listener bug");
    });

    await expect(credential.getToken("scope")).resolves.toMatchObject({
      token: "secret-access-token-0",
    });
    expect(calls).toEqual(["local after", "global after"]);
    expect(logger.at("warn").map((e) => e.message)).toEqual([
      'credchain: a "token:request" listener threw or rejected; ignored.',
      'credchain: a "token:acquired" listener threw or rejected; ignored.',
    ]);
  });

  it("an emitter's own error reporter that throws is contained too", () => {
    const emitter = new CredentialEventEmitter();
    emitter.onListenerError = () => {
      throw new Error("reporter bug");
    };
    emitter.on("credential:close", () => {
      throw new Error("listener bug");
    });
    expect(() => emitter.emit("credential:close", { credential: "x" })).not.toThrow();
  });

  it("off and removeListener remove a guarded listener", () => {
    const emitter = new CredentialEventEmitter();
    const calls: string[] = [];
    const first = () => calls.push("first");
    const second = () => calls.push("second");
    emitter.on("credential:close", first);
    emitter.addListener("credential:close", second);
    expect(emitter.listenerCount("credential:close")).toBe(2);
    emitter.off("credential:close", first);
    emitter.removeListener("credential:close", second);
    expect(emitter.listenerCount("credential:close")).toBe(0);
    emitter.emit("credential:close", { credential: "x" });
    expect(calls).toEqual([]);
  });

  it("once fires once, and can be removed before it fires", () => {
    const emitter = new CredentialEventEmitter();
    let count = 0;
    const listener = () => count++;
    emitter.once("credential:close", listener);
    emitter.emit("credential:close", { credential: "x" });
    emitter.emit("credential:close", { credential: "x" });
    expect(count).toBe(1);

    emitter.once("credential:close", listener);
    emitter.off("credential:close", listener);
    emitter.emit("credential:close", { credential: "x" });
    expect(count).toBe(1);
  });
});

describe("payloads", () => {
  it("never carry a token, the secret, claims content or the query string", async () => {
    const claims = '{"access_token":{"acrs":{"essential":true,"value":"claims-content-c1"}}}';
    const { credential, clock } = await setup((_, index) =>
      index === 2
        ? "reset"
        : index === 4
          ? statusReply(400)
          : tokenReply(`secret-access-token-${index}`, 3600, 1800),
    );
    const local = record(credential.events);
    const global = record(credentialEvents);

    await credential.getToken("scope");
    await credential.getToken("scope");
    await credential.getToken(["scope", "other"], {
      claims,
      tenantId: "tenant-b",
      enableCae: true,
    });
    clock.advance(1800 * 1000);
    await credential.getToken("scope");
    await flush();
    await expect(credential.getToken("broken")).rejects.toBeDefined();
    await credential.close();

    const names = new Set(local.map((e) => e.name));
    // cache:error needs a persistent store, token:regional-fallback a regional authority
    // (test/integration/regionalAuthority.test.ts scans that one), credential:select a selecting
    // credential (DefaultAzureCredential).
    for (const name of EVENT_NAMES.filter(
      (n) => n !== "cache:error" && n !== "credential:select" && n !== "token:regional-fallback",
    )) {
      expect(names).toContain(name);
    }
    // Errors are expanded, so their messages and causes are scanned too.
    const json = JSON.stringify([local, global], (_key, value: unknown) =>
      value instanceof Error
        ? { ...value, name: value.name, message: value.message, cause: value.cause }
        : value,
    );
    expect(json).not.toContain("secret-access-token");
    expect(json).not.toContain(TEST_CLIENT_SECRET);
    expect(json).not.toContain("claims-content-c1");
    expect(json).not.toContain("?");
  });
});
