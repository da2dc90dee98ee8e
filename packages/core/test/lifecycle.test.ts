import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../src/index.js";
import { MemoryPersistence } from "./support/MemoryTokenStore.js";
import { testContainer } from "./support/testContainer.js";
import { TEST_CLIENT_SECRET, TestCredential } from "./support/TestCredential.js";
import { startTestServer, type TestServer } from "./support/testServer.js";
import { until } from "./support/until.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const scripted = (options: ConstructorParameters<typeof TestCredential>[0] = {}) =>
  new TestCredential({
    acquire: (_r, _s, call) => ({
      token: `secret-access-token-${call}`,
      expiresOnTimestamp: Date.UTC(2100, 0, 1),
    }),
    ...options,
  });

describe("close", () => {
  it("is idempotent: the same promise, one credential:close", async () => {
    const credential = scripted();
    let closes = 0;
    credential.events.on("credential:close", () => closes++);
    const first = credential.close();
    expect(credential.close()).toBe(first);
    await first;
    expect(credential.close()).toBe(first);
    expect(closes).toBe(1);
  });

  it("later calls reject with a CredentialUnavailableError that says it is closed", async () => {
    const credential = scripted();
    await credential.getToken("scope");
    await credential.close();
    for (const call of [
      () => credential.getToken("scope"),
      () => credential.getTokenInfo("scope"),
    ]) {
      await expect(call()).rejects.toMatchObject({
        name: "CredentialUnavailableError",
        message: expect.stringContaining("closed") as unknown,
      });
    }
  });

  it("aborts the request in flight", async () => {
    const server = await startTestServer(() => "hold");
    servers.push(server);
    const credential = new TestCredential({
      authorityHost: server.url,
      container: testContainer({ clock: new ManualClock() }),
    });
    const pending = credential.getToken("scope");
    pending.catch(() => {});
    await until(() => server.count === 1, "the request");
    await credential.close();
    await expect(pending).rejects.toBeDefined();
    await until(() => server.abandoned === 1, "the server to see the socket close");
  });

  it("closes the persistent stores once", async () => {
    const persistence = new MemoryPersistence();
    const credential = scripted({
      container: testContainer({ persistence }),
      cachePersistenceOptions: {},
    });
    await Promise.all([credential.close(), credential.close()]);
    expect(persistence.stores.cae.closes).toBe(1);
    expect(persistence.stores.nocae.closes).toBe(1);
  });

  it("works with await using", async () => {
    let closed = 0;
    {
      await using credential = scripted();
      credential.events.on("credential:close", () => closed++);
      await credential.getToken("scope");
      expect(closed).toBe(0);
    }
    expect(closed).toBe(1);
  });

  it("[Symbol.asyncDispose] closes", async () => {
    const credential = scripted();
    await credential[Symbol.asyncDispose]();
    await expect(credential.getToken("scope")).rejects.toMatchObject({
      name: "CredentialUnavailableError",
    });
  });
});

describe("no secret on display", () => {
  it("util.inspect and JSON.stringify show identity only", async () => {
    const credential = scripted();
    await credential.getToken("scope");
    for (const shown of [
      inspect(credential),
      inspect(credential, { showHidden: true, depth: Infinity }),
      inspect({ nested: [credential] }, { depth: Infinity }),
      JSON.stringify(credential),
      JSON.stringify({ credential }),
      String(Object.entries(credential)),
    ]) {
      expect(shown).not.toContain(TEST_CLIENT_SECRET);
      expect(shown).not.toContain("secret-access-token");
    }
    expect(inspect(credential)).toBe(
      "TestCredential { tenantId: 'tenant-a', clientId: 'client-id', authorityHost: 'http://127.0.0.1:9' }",
    );
    expect(JSON.parse(JSON.stringify(credential))).toEqual({
      credential: "TestCredential",
      tenantId: "tenant-a",
      clientId: "client-id",
      authorityHost: "http://127.0.0.1:9",
    });
  });
});
