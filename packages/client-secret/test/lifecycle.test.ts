import { useLocalAuthority } from "@credchain/local-authority";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ClientSecretCredential } from "../src/index.js";
import { ARM, demoCredential, GRAPH, manualTime, recordEvents, rejectionOf } from "./fixtures.js";

const authority = useLocalAuthority({ hooks: { beforeAll, afterAll, afterEach } });

describe("abort and timeout", () => {
  it("abortSignal stops a request the server is holding: AbortError, and the server saw it", async () => {
    authority.setFaults([{ kind: "hang" }]);
    const credential = demoCredential(authority);
    const controller = new AbortController();
    const pending = rejectionOf(credential.getToken(GRAPH, { abortSignal: controller.signal }));
    await authority.waitForTokenRequests(1);
    controller.abort();
    expect((await pending).name).toBe("AbortError");
    expect(authority.tokenRequestCount()).toBe(1);
  });

  it("an already aborted signal sends nothing", async () => {
    const credential = demoCredential(authority);
    const error = await rejectionOf(
      credential.getToken(GRAPH, { abortSignal: AbortSignal.abort() }),
    );
    expect(error.name).toBe("AbortError");
    expect(authority.tokenRequestCount()).toBe(0);
  });

  it("requestOptions.timeout ends a hanging request with TimeoutError, timed on the injected clock", async () => {
    authority.setFaults([{ kind: "hang" }]);
    const { clock, container } = manualTime();
    const credential = demoCredential(authority, { container });
    const pending = rejectionOf(credential.getToken(GRAPH, { requestOptions: { timeout: 5_000 } }));
    await authority.waitForTokenRequests(1);
    clock.advance(5_000);
    const error = await pending;
    expect(error.name).toBe("TimeoutError");
    expect(error.message).toMatch(/5000 ms/);
    expect(authority.tokenRequestCount()).toBe(1);
  });

  it("the timeout also bounds retry back-off", async () => {
    authority.setFaults([{ kind: "status", status: 503, retryAfter: "30" }]);
    const { clock, container } = manualTime();
    const credential = demoCredential(authority, { container });
    const pending = rejectionOf(
      credential.getToken(GRAPH, { requestOptions: { timeout: 10_000 } }),
    );
    await authority.waitForTokenRequests(1);
    await expect.poll(() => clock.pendingSleeps).toBeGreaterThan(1); // the timeout and the back-off
    clock.advance(10_000);
    expect((await pending).name).toBe("TimeoutError");
    expect(authority.tokenRequestCount()).toBe(1);
  });

  it("one caller giving up does not fail the others sharing the request", async () => {
    authority.setFaults([{ kind: "latency", ms: 50 }]);
    const credential = demoCredential(authority);
    const controller = new AbortController();
    const quitter = rejectionOf(credential.getToken(GRAPH, { abortSignal: controller.signal }));
    const stayer = credential.getToken(GRAPH);
    await authority.waitForTokenRequests(1);
    controller.abort();
    expect((await quitter).name).toBe("AbortError");
    expect((await stayer).token).toBeTruthy();
    expect(authority.tokenRequestCount()).toBe(1);
  });
});

describe("concurrency", () => {
  it("1,000 concurrent getToken calls make exactly one token request and share its token", async () => {
    const credential = demoCredential(authority);
    const tokens = await Promise.all(
      Array.from({ length: 1000 }, () => credential.getToken(GRAPH)),
    );
    expect(authority.tokenRequestCount()).toBe(1);
    expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
  });

  it("concurrent calls for different scopes make one request per scope", async () => {
    const credential = demoCredential(authority);
    await Promise.all([
      ...Array.from({ length: 50 }, () => credential.getToken(GRAPH)),
      ...Array.from({ length: 50 }, () => credential.getToken(ARM)),
    ]);
    expect(authority.tokenRequestCount()).toBe(2);
  });

  it("concurrent callers share a failure too: one request, every caller sees the error", async () => {
    authority.enqueueFaults([
      { kind: "status", status: 401, error: "invalid_client", errorCode: 7000215 },
    ]);
    const credential = demoCredential(authority);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => credential.getToken(GRAPH)),
    );
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect(authority.tokenRequestCount()).toBe(1);
  });
});

describe("close", () => {
  it("is idempotent, and later calls reject saying the credential is closed", async () => {
    const credential = demoCredential(authority);
    await credential.getToken(GRAPH);
    const first = credential.close();
    expect(credential.close()).toBe(first);
    await first;
    for (const call of [() => credential.getToken(GRAPH), () => credential.getTokenInfo(GRAPH)]) {
      const error = await rejectionOf(call());
      expect(error.name).toBe("CredentialUnavailableError");
      expect(error.message).toMatch(/ClientSecretCredential is closed; create a new credential/);
    }
    expect(authority.tokenRequestCount()).toBe(1);
  });

  it("aborts a request in flight", async () => {
    authority.setFaults([{ kind: "hang" }]);
    const credential = demoCredential(authority);
    const pending = rejectionOf(credential.getToken(GRAPH));
    await authority.waitForTokenRequests(1);
    await credential.close();
    const error = await pending;
    // The caller learns why: the credential was closed (and a chain would move on).
    expect(error.name).toBe("CredentialUnavailableError");
    expect(error.message).toMatch(/ClientSecretCredential is closed/);
  });

  it("emits credential:close once", async () => {
    const credential = demoCredential(authority);
    const { events, stop } = recordEvents(credential.events);
    await credential.close();
    await credential.close();
    stop();
    expect(
      events.filter((e) => e.name === "credential:close" && e.source === "credential"),
    ).toHaveLength(1);
  });

  it("works with await using", async () => {
    let outer: ClientSecretCredential | undefined;
    {
      await using credential = demoCredential(authority);
      outer = credential;
      await credential.getToken(GRAPH);
    }
    expect((await rejectionOf(outer.getToken(GRAPH))).message).toMatch(/closed/);
  });
});

describe("scopes", () => {
  it("rejects missing scopes with a TypeError naming the method, sending nothing", async () => {
    const credential = demoCredential(authority);
    await expect(credential.getToken([])).rejects.toThrowError(
      /ClientSecretCredential\.getToken requires at least one scope/,
    );
    await expect(credential.getTokenInfo([""])).rejects.toThrowError(
      /ClientSecretCredential\.getTokenInfo/,
    );
    expect(authority.tokenRequestCount()).toBe(0);
  });
});
