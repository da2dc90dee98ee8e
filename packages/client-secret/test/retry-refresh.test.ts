import type { CredentialEventEmitter, TokenRefreshEvent } from "@credchain/core";
import { startAuthority, useLocalAuthority } from "@credchain/local-authority";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ClientSecretCredential } from "../src/index.js";
import { demoCredential, GRAPH, manualTime, rejectionOf } from "./fixtures.js";

const authority = useLocalAuthority({ hooks: { beforeAll, afterAll, afterEach } });

/** Resolves with the next refresh event that has `outcome`. */
function nextRefresh(
  credential: ClientSecretCredential,
  outcome: TokenRefreshEvent["outcome"],
): Promise<TokenRefreshEvent> {
  return new Promise((resolve) => {
    const listener = (event: TokenRefreshEvent): void => {
      if (event.outcome !== outcome) return;
      credential.events.off("token:refresh", listener);
      resolve(event);
    };
    credential.events.on("token:refresh", listener);
  });
}

/** Resolves when an HTTP attempt of `credential` is answered with `status`: its back-off starts in the same tick. */
function answered(credential: { events: CredentialEventEmitter }, status: number): Promise<void> {
  return new Promise((resolve) => {
    credential.events.on("http:response", (event) => {
      if (event.status === status) resolve();
    });
  });
}

describe("retries", () => {
  it("retries a 429 after its Retry-After, on the injected clock", async () => {
    authority.enqueueFaults([{ kind: "status", status: 429, retryAfter: "1" }]);
    const { clock, container } = manualTime();
    const credential = demoCredential(authority, { container });
    const throttled = answered(credential, 429);
    const pending = credential.getToken(GRAPH);

    await throttled;
    // The Retry-After wait and the requestTimeoutInMs deadline.
    expect(clock.pendingSleeps).toBe(2);
    clock.advance(999);
    expect(clock.pendingSleeps).toBe(2); // still waiting out Retry-After
    clock.advance(1);
    const token = await pending;

    expect(token.token).toBeTruthy();
    expect(authority.tokenRequestCount()).toBe(2);
    expect(authority.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it("gives up after maxRetries with the throttling error's details", async () => {
    authority.setFaults([{ kind: "status", status: 429, retryAfter: "2" }]);
    const { clock, container } = manualTime();
    const credential = demoCredential(authority, { container, retryOptions: { maxRetries: 1 } });
    const throttled = answered(credential, 429);
    const pending = rejectionOf(credential.getToken(GRAPH));
    await throttled;
    expect(clock.pendingSleeps).toBe(2); // the Retry-After wait and the request deadline
    clock.advance(2_000);
    const error = await pending;

    expect(authority.tokenRequestCount()).toBe(2);
    expect(error.name).toBe("ClientAuthenticationError");
    expect(error["statusCode"]).toBe(429);
    expect(error["errorCode"]).toBe("temporarily_unavailable");
    expect(error["errorCodes"]).toEqual([90055]);
  });

  it("retries a dropped connection, then fails with a network error naming the endpoint", async () => {
    authority.setFaults([{ kind: "reset" }]);
    const credential = demoCredential(authority, {
      retryOptions: { maxRetries: 1, retryDelayInMs: 0 },
    });
    const error = await rejectionOf(credential.getToken(GRAPH));
    expect(authority.tokenRequestCount()).toBe(2);
    expect(error.name).toBe("ClientAuthenticationError");
    expect(error.message).toContain(`Could not reach the token endpoint ${authority.url}/`);
  });
});

describe("refresh", () => {
  it("serves the cached token while a background refresh runs, then the new one", async () => {
    const { clock, container } = manualTime();
    const credential = demoCredential(authority, { container });
    const first = await credential.getToken(GRAPH); // expires_in 3599: refresh due 300 s before
    expect(first.refreshAfterTimestamp).toBe(first.expiresOnTimestamp - 300_000);

    clock.advance(3_599_000 - 300_000 - 1);
    expect((await credential.getToken(GRAPH)).token).toBe(first.token);
    expect(authority.tokenRequestCount()).toBe(1);

    clock.advance(1);
    const refreshed = nextRefresh(credential, "succeeded");
    expect((await credential.getToken(GRAPH)).token).toBe(first.token); // no wait for the network
    await refreshed;
    expect(authority.tokenRequestCount()).toBe(2);

    const second = await credential.getToken(GRAPH);
    expect(second.token).not.toBe(first.token);
    expect(authority.tokenRequestCount()).toBe(2);
  });

  it("keeps serving the valid token when a refresh fails, and retries after retryIntervalInMs", async () => {
    const { clock, container } = manualTime();
    const credential = demoCredential(authority, {
      container,
      refreshOptions: { refreshOffsetInMs: 600_000, retryIntervalInMs: 60_000 },
    });
    const first = await credential.getToken(GRAPH);

    authority.enqueueFaults([{ kind: "status", status: 400 }]);
    clock.advance(3_599_000 - 600_000);
    const failed = nextRefresh(credential, "failed");
    expect((await credential.getToken(GRAPH)).token).toBe(first.token);
    const event = await failed;
    expect(event.nextAttemptTimestamp).toBe(clock.now() + 60_000);

    expect((await credential.getToken(GRAPH)).token).toBe(first.token);
    expect(authority.tokenRequestCount()).toBe(2); // no new attempt inside the retry interval

    clock.advance(60_000);
    const succeeded = nextRefresh(credential, "succeeded");
    expect((await credential.getToken(GRAPH)).token).toBe(first.token);
    await succeeded;
    expect(authority.tokenRequestCount()).toBe(3);
    expect((await credential.getToken(GRAPH)).token).not.toBe(first.token);
  });

  it("fails the caller once the token has expired and Entra still refuses", async () => {
    const { clock, container } = manualTime();
    const credential = demoCredential(authority, { container });
    await credential.getToken(GRAPH);
    authority.setFaults([
      { kind: "status", status: 401, error: "invalid_client", errorCode: 7000222 },
    ]);
    clock.advance(3_599_000);
    const error = await rejectionOf(credential.getToken(GRAPH));
    expect(error["errorCodes"]).toEqual([7000222]);
  });

  it("refreshes at the server's refresh_in when it gives one", async () => {
    await using local = await startAuthority({ refreshInSeconds: 600 });
    const { clock, container } = manualTime();
    const credential = demoCredential(local, { container });
    const first = await credential.getToken(GRAPH);
    expect(first.refreshAfterTimestamp).toBe(clock.now() + 600_000);

    clock.advance(600_000);
    const refreshed = nextRefresh(credential, "succeeded");
    await credential.getToken(GRAPH);
    await refreshed;
    expect(local.tokenRequestCount()).toBe(2);
  });
});
