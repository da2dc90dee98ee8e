// Regression tests for issue 8 item 9 and "async listener / Logger rejection crashes the process".
import { afterEach, describe, expect, it } from "vitest";
import { credentialEvents, type Logger } from "../src/index.js";
import { CapturingLogger } from "./support/CapturingLogger.js";
import { TestCredential } from "./support/TestCredential.js";
import { testContainer } from "./support/testContainer.js";
import { startTestServer, type TestServer } from "./support/testServer.js";
import { flush } from "./support/until.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("event payloads (item 9)", () => {
  it("a listener that edits e.scopes changes neither the scope sent nor the cache key", async () => {
    server = await startTestServer();
    const logger = new CapturingLogger();
    const credential = new TestCredential({
      authorityHost: server.url,
      container: testContainer({ logger }),
    });
    credential.events.on("token:request", (event) => {
      (event.scopes as string[])[0] = "https://other.example/.default";
    });
    credential.events.on("token:request", (event) => {
      (event as { tenantId: string }).tenantId = "evil-tenant";
    });
    await credential.getToken("https://graph.microsoft.com/.default");
    expect(new URLSearchParams(server.requests[0]!.body).get("scope")).toBe(
      "https://graph.microsoft.com/.default",
    );
    expect(server.requests[0]!.url).toContain("/tenant-a/");
    // Cached under the original key: a hit, and the other resource still needs its own token.
    await credential.getToken("https://graph.microsoft.com/.default");
    expect(server.count).toBe(1);
    await credential.getToken("https://other.example/.default");
    expect(server.count).toBe(2);
    // The edits threw (frozen payloads) and were reported like any listener error.
    expect(logger.at("warn").length).toBeGreaterThan(0);
    await credential.close();
  });

  it("http events are frozen too", async () => {
    server = await startTestServer();
    const credential = new TestCredential({ authorityHost: server.url });
    const frozen: boolean[] = [];
    credential.events.on("http:request", (event) => frozen.push(Object.isFrozen(event)));
    credential.events.on("token:acquired", (event) => {
      frozen.push(Object.isFrozen(event), Object.isFrozen(event.scopes));
    });
    await credential.getToken("scope");
    expect(frozen).toEqual([true, true, true]);
    await credential.close();
  });
});

describe("async listeners and loggers", () => {
  it("an async listener that rejects does not crash the process", async () => {
    server = await startTestServer();
    const logger = new CapturingLogger();
    const credential = new TestCredential({
      authorityHost: server.url,
      container: testContainer({ logger }),
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    // Typed as a plain listener, as JavaScript callers pass async ones without a compiler to stop them.
    const listener = (async (): Promise<void> => {
      throw new Error("listener broke");
    }) as unknown as () => void;
    credential.events.on("token:request", listener);
    credentialEvents.on("token:acquired", listener);
    try {
      await credential.getToken("scope");
      await flush();
      expect(unhandled).toEqual([]);
      expect(logger.at("warn").map((e) => e.message)).toContain(
        'credchain: a "token:request" listener threw or rejected; ignored.',
      );
    } finally {
      credentialEvents.off("token:acquired", listener);
      process.off("unhandledRejection", onUnhandled);
      await credential.close();
    }
  });

  it("an async Logger method that rejects does not crash the process", async () => {
    server = await startTestServer();
    const rejecting = (async (): Promise<void> => {
      throw new Error("log sink down");
    }) as unknown as () => void;
    const logger: Logger = { debug: rejecting, info: rejecting, warn: rejecting, error: rejecting };
    const credential = new TestCredential({
      authorityHost: server.url,
      container: testContainer({ logger }),
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      // A throwing listener makes the credential log a warning through the rejecting logger.
      credential.events.on("token:request", () => {
        throw new Error("listener broke");
      });
      await credential.getToken("scope");
      await flush();
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await credential.close();
    }
  });
});
