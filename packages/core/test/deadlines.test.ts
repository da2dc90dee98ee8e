// Regression tests for issue 8 items 1-3: no call waits forever, and no duration overflows a timer.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { HttpPipeline, ManualClock, type TokenRefreshEvent } from "../src/index.js";
import { FetchHttpTransport } from "../src/index.js";
import { CapturingLogger } from "./support/CapturingLogger.js";
import { TestCredential } from "./support/TestCredential.js";
import { testContainer } from "./support/testContainer.js";
import { startTestServer, statusReply, tokenReply, type TestServer } from "./support/testServer.js";
import { flush, until } from "./support/until.js";

const MINUTE = 60_000;
let server: TestServer | undefined;
let raw: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (raw !== undefined) {
    raw.closeAllConnections();
    await new Promise((resolve) => raw?.close(resolve));
    raw = undefined;
  }
});

function credentialOn(url: string, clock: ManualClock, options = {}): TestCredential {
  return new TestCredential({
    authorityHost: url,
    container: testContainer({ clock }),
    ...options,
  });
}

/** Settles into a flag, so a test can check that a promise is still pending. */
function track<T>(promise: Promise<T>): { settled: () => boolean; promise: Promise<T> } {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return { settled: () => settled, promise };
}

describe("background refresh deadline (issue 8 item 1)", () => {
  it("a hung background refresh does not block callers once the token expired", async () => {
    // A 3 s token; its refresh is accepted and never answered; the endpoint then heals.
    server = await startTestServer((_, index) =>
      index === 0 ? tokenReply("first", 3) : index === 1 ? "hold" : tokenReply("second"),
    );
    const clock = new ManualClock();
    const logger = new CapturingLogger();
    const credential = new TestCredential({
      authorityHost: server.url,
      container: testContainer({ clock, logger }),
    });
    expect((await credential.getToken("scope")).token).toBe("first");
    clock.advance(2_000); // inside the refresh window: served, and a refresh starts
    expect((await credential.getToken("scope")).token).toBe("first");
    await until(() => server!.count === 2, "the refresh request");
    clock.advance(1_000); // expired, the refresh still hanging
    // A fresh foreground request at once, not a wait on the hung flight.
    expect((await credential.getToken("scope")).token).toBe("second");
    expect(server.count).toBe(3);
    // The stale attempt is abandoned: its connection is closed.
    await until(() => server!.abandoned === 1, "the hung refresh to be abandoned");
    // Said once, as what it is: no "serving the cached token" warning for a token that expired.
    expect(logger.at("warn")).toEqual([]);
    expect(
      logger.at("debug").some((e) => e.message.includes("abandoned a background refresh")),
    ).toBe(true);
    await credential.close();
  });

  it("a background refresh that never answers is given up after requestTimeoutInMs", async () => {
    server = await startTestServer((_, index) =>
      index === 0 ? tokenReply("first") : index === 1 ? "hold" : tokenReply("second"),
    );
    const clock = new ManualClock();
    const credential = credentialOn(server.url, clock);
    const refreshes: TokenRefreshEvent[] = [];
    credential.events.on("token:refresh", (event) => refreshes.push(event));
    await credential.getToken("scope");
    clock.advance(56 * MINUTE);
    await credential.getToken("scope");
    await until(() => server!.count === 2, "the refresh request");
    clock.advance(60_000); // the refresh's own deadline (requestTimeoutInMs default)
    await until(() => refreshes.some((e) => e.outcome === "failed"), "the refresh to time out");
    expect(refreshes.find((e) => e.outcome === "failed")?.error).toMatchObject({
      name: "TimeoutError",
    });
    clock.advance(30_000); // retryIntervalInMs: the next refresh may start
    await credential.getToken("scope");
    await until(() => refreshes.some((e) => e.outcome === "succeeded"), "the next refresh");
    expect((await credential.getToken("scope")).token).toBe("second");
    await credential.close();
  });
});

describe("default deadlines (issue 8 item 2)", () => {
  it("a silent token endpoint fails after requestTimeoutInMs without requestOptions.timeout", async () => {
    server = await startTestServer(() => "hold");
    const clock = new ManualClock();
    // One long attempt, so only the whole-acquisition deadline can end it.
    const credential = credentialOn(server.url, clock, {
      retryOptions: { maxRetries: 0 },
      attemptTimeoutInMs: 10 * MINUTE,
    });
    const pending = track(credential.getToken("scope"));
    await until(() => server!.count === 1, "the request");
    clock.advance(59_999);
    await flush();
    expect(pending.settled()).toBe(false);
    clock.advance(1);
    await expect(pending.promise).rejects.toMatchObject({
      name: "TimeoutError",
      message: expect.stringContaining("requestTimeoutInMs"),
    });
    await credential.close();
  });

  it("an attempt that never answers is cut at attemptTimeoutInMs and retried", async () => {
    server = await startTestServer((_, index) => (index === 0 ? "hold" : tokenReply("second")));
    const clock = new ManualClock();
    const credential = credentialOn(server.url, clock);
    const pending = credential.getToken("scope");
    await until(() => server!.count === 1, "the first attempt");
    clock.advance(10_000); // attemptTimeoutInMs default
    await until(() => clock.pendingSleeps === 2, "the back-off (and the request deadline)");
    clock.advance(1_000);
    expect((await pending).token).toBe("second");
    expect(server.abandoned).toBe(1);
    await credential.close();
  });

  it("an attempt after a finished one (its controller kept for reuse) is still cut and retried", async () => {
    server = await startTestServer((_, index) =>
      index === 1 ? "hold" : tokenReply(index === 0 ? "first" : "third"),
    );
    const clock = new ManualClock();
    const credential = credentialOn(server.url, clock);
    expect((await credential.getToken("scope-a")).token).toBe("first");
    const pending = credential.getToken("scope-b");
    await until(() => server!.count === 2, "the second request");
    clock.advance(10_000); // attemptTimeoutInMs default
    await until(() => clock.pendingSleeps === 2, "the back-off (and the request deadline)");
    clock.advance(1_000);
    expect((await pending).token).toBe("third");
    expect(server.abandoned).toBe(1);
    await credential.close();
  });

  it("a body trickling after the headers is cut by attemptTimeoutInMs", async () => {
    // Headers and one byte, then nothing: undici's header timeout never fires.
    raw = createServer((_, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("{");
    });
    await new Promise<void>((resolve) => raw!.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
    const clock = new ManualClock();
    const credential = credentialOn(url, clock, { retryOptions: { maxRetries: 0 } });
    const pending = credential.getToken("scope");
    // Once the attempt is running, its timer and the request deadline are the two sleeps.
    await until(() => clock.pendingSleeps === 2, "the attempt");
    clock.advance(10_000);
    await expect(pending).rejects.toMatchObject({
      name: "ClientAuthenticationError",
      message: expect.stringContaining("attemptTimeoutInMs"),
    });
    await credential.close();
  });

  it("requestOptions.timeout overrides requestTimeoutInMs for that call", async () => {
    server = await startTestServer(() => "hold");
    const clock = new ManualClock();
    const credential = credentialOn(server.url, clock, {
      requestTimeoutInMs: 1_000,
      attemptTimeoutInMs: 10 * MINUTE,
      retryOptions: { maxRetries: 0 },
    });
    const pending = track(credential.getToken("scope", { requestOptions: { timeout: 5_000 } }));
    await until(() => server!.count === 1, "the request");
    clock.advance(1_000);
    await flush();
    expect(pending.settled()).toBe(false);
    clock.advance(4_000);
    await expect(pending.promise).rejects.toMatchObject({
      name: "TimeoutError",
      message: expect.stringContaining("requestOptions.timeout"),
    });
    await credential.close();
  });
});

describe("durations past a timer's range (issue 8 item 3)", () => {
  it("requestOptions.timeout over 2^31-1 ms is a RangeError, not an immediate timeout", async () => {
    server = await startTestServer();
    const credential = new TestCredential({ authorityHost: server.url });
    for (const timeout of [2 ** 31, 1e12]) {
      await expect(
        credential.getToken("scope", { requestOptions: { timeout } }),
      ).rejects.toBeInstanceOf(RangeError);
    }
    expect(server.count).toBe(0);
    await credential.close();
  });

  it("a duration option over 2^31-1 ms is a RangeError at construction", () => {
    for (const options of [
      { retryOptions: { maxRetryDelayInMs: 1e12 } },
      { retryOptions: { retryDelayInMs: 2 ** 31 } },
      { refreshOptions: { refreshOffsetInMs: 1e12 } },
      { requestTimeoutInMs: 1e12 },
      { attemptTimeoutInMs: 2 ** 31 },
    ]) {
      expect(() => new TestCredential(options)).toThrow(/2\^31-1/);
    }
  });

  it("a Retry-After of 1e9 s waits maxRetryDelayInMs, never overflowing a timer", async () => {
    server = await startTestServer((_, index) =>
      index === 0 ? statusReply(503, { "retry-after": "1000000000" }) : tokenReply("t"),
    );
    const clock = new ManualClock();
    const pipeline = new HttpPipeline({
      transport: new FetchHttpTransport(),
      clock,
      retry: { maxRetryDelayInMs: 5_000 },
    });
    const pending = pipeline.send({ method: "POST", url: `${server.url}/token`, headers: {} });
    await until(() => clock.pendingSleeps === 1, "the Retry-After wait");
    clock.advance(4_999);
    await flush();
    expect(server.count).toBe(1);
    clock.advance(1);
    expect((await pending).status).toBe(200);
    expect(server.count).toBe(2);
  });
});
