import { ChainedTokenCredential } from "@credchain/core";
import { startAuthority, type LocalAuthority } from "@credchain/local-authority";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ARM,
  closedPort,
  credentialFor,
  credentialWithEnv,
  fallback,
  manualTime,
  rejectionOf,
  silentServer,
} from "./support.js";

let authority: LocalAuthority;
beforeAll(async () => {
  authority = await startAuthority();
});
afterAll(async () => {
  await authority.close();
});
afterEach(() => {
  authority.managedIdentity.clearFaults();
  authority.managedIdentity.resetLog();
});

/** Waits until the code under test sleeps on `clock`, then moves it on by `ms`. */
async function advanceWhenSleeping(
  clock: ReturnType<typeof manualTime>["clock"],
  ms: number,
): Promise<void> {
  await expect.poll(() => clock.pendingSleeps).toBeGreaterThan(0);
  clock.advance(ms);
}

describe("probe", () => {
  it("probes once without Metadata, then sends the token request with it", async () => {
    const credential = await credentialFor(authority, "imds");
    await credential.getToken(ARM);
    await credential.getToken("https://vault.azure.net/.default");
    const requests = authority.managedIdentity.requests;
    expect(requests.map((r) => [r.headers["metadata"], r.status])).toEqual([
      [undefined, 400],
      ["true", 200],
      ["true", 200],
    ]);
  });

  it("an unreachable IMDS (closed port) is CredentialUnavailableError, and a chain moves on", async () => {
    const port = await closedPort();
    const env = { AZURE_POD_IDENTITY_AUTHORITY_HOST: `http://127.0.0.1:${port}` };
    const credential = credentialWithEnv(env);
    const error = await rejectionOf(credential.getToken(ARM));
    expect(error.name).toBe("CredentialUnavailableError");
    expect(error.message).toContain("ECONNREFUSED");
    const chain = new ChainedTokenCredential(credentialWithEnv(env), fallback);
    await expect(chain.getToken(ARM)).resolves.toMatchObject({ token: "fallback-token" });
  });

  it("an IMDS that accepts but never answers is CredentialUnavailableError after the 1 s probe, on the clock", async () => {
    const silent = await silentServer();
    try {
      const { clock, container } = manualTime();
      const credential = credentialWithEnv(
        { AZURE_POD_IDENTITY_AUTHORITY_HOST: silent.url },
        { container },
      );
      const chain = new ChainedTokenCredential(credential, fallback);
      const pending = chain.getToken(ARM);
      await expect.poll(() => silent.connections()).toBe(1);
      await advanceWhenSleeping(clock, 1_000);
      await expect(pending).resolves.toMatchObject({ token: "fallback-token" });
      // The next call probes again (nothing was remembered), and gives up the same way.
      const seen = silent.connections();
      const next = rejectionOf(credential.getToken(ARM));
      await expect.poll(() => silent.connections()).toBeGreaterThan(seen);
      await advanceWhenSleeping(clock, 1_000);
      const error = await next;
      expect(error.name).toBe("CredentialUnavailableError");
      expect(error.message).toContain("no answer within 1000 ms");
    } finally {
      await silent.close();
    }
  });

  it("a failed probe never disables managed identity: a later call succeeds", async () => {
    const credential = await credentialFor(authority, "imds");
    authority.managedIdentity.setUnreachable(true);
    await expect(credential.getToken(ARM)).rejects.toMatchObject({
      name: "CredentialUnavailableError",
    });
    authority.managedIdentity.setUnreachable(false);
    await expect(credential.getToken(ARM)).resolves.toMatchObject({ tokenType: "Bearer" });
  });

  it("the caller's abort during the probe is an AbortError, not unavailable", async () => {
    const silent = await silentServer();
    try {
      const credential = credentialWithEnv({ AZURE_POD_IDENTITY_AUTHORITY_HOST: silent.url });
      const controller = new AbortController();
      const pending = credential.getToken(ARM, { abortSignal: controller.signal });
      await expect.poll(() => silent.connections()).toBe(1);
      controller.abort();
      await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    } finally {
      await silent.close();
    }
  });
});

/** Resolves when `credential` sees an HTTP answer with `status`; its back-off starts synchronously after. */
function responseWith(
  credential: { events: { on: (e: "http:response", l: (p: { status?: number }) => void) => void } },
  status: number,
): Promise<void> {
  return new Promise((resolve) => {
    credential.events.on("http:response", (payload) => {
      if (payload.status === status) resolve();
    });
  });
}

describe("retries (IMDS's own policy)", () => {
  it("retries a 404 while IMDS warms up, after 1 s on the clock", async () => {
    authority.managedIdentity.enqueueFaults([{ kind: "status", status: 404, source: "imds" }]);
    const { clock, container } = manualTime();
    const credential = await credentialFor(authority, "imds", { container });
    const answered = responseWith(credential, 404);
    const pending = credential.getToken(ARM);
    await answered; // the back-off sleep starts right after this event
    clock.advance(999);
    expect(authority.managedIdentity.requestCount()).toBe(2);
    clock.advance(1);
    await expect(pending).resolves.toMatchObject({ tokenType: "Bearer" });
    expect(authority.managedIdentity.requests.map((r) => r.status)).toEqual([400, 404, 200]);
  });

  it("waits 10 s after a 410 (upgrade in progress)", async () => {
    authority.managedIdentity.enqueueFaults([{ kind: "status", status: 410, source: "imds" }]);
    const { clock, container } = manualTime();
    const credential = await credentialFor(authority, "imds", { container });
    const answered = responseWith(credential, 410);
    const pending = credential.getToken(ARM);
    await answered;
    clock.advance(9_999);
    expect(authority.managedIdentity.requestCount()).toBe(2);
    clock.advance(1);
    await expect(pending).resolves.toMatchObject({ tokenType: "Bearer" });
  });

  it("honours Retry-After on a 429", async () => {
    authority.managedIdentity.enqueueFaults([
      { kind: "status", status: 429, retryAfter: "5", source: "imds" },
    ]);
    const { clock, container } = manualTime();
    const credential = await credentialFor(authority, "imds", { container });
    const answered = responseWith(credential, 429);
    const pending = credential.getToken(ARM);
    await answered;
    clock.advance(4_999);
    expect(authority.managedIdentity.requestCount()).toBe(2);
    clock.advance(1);
    await expect(pending).resolves.toMatchObject({ tokenType: "Bearer" });
  });

  it("a 500 after every retry is a ClientAuthenticationError that stops a chain", async () => {
    authority.managedIdentity.setFaults([{ kind: "status", status: 500, source: "imds" }]);
    const credential = await credentialFor(authority, "imds", {
      retryOptions: { maxRetries: 2, retryDelayInMs: 0 },
    });
    const chain = new ChainedTokenCredential(credential, fallback);
    const error = await rejectionOf(chain.getToken(ARM));
    expect(error).toMatchObject({ name: "ClientAuthenticationError", statusCode: 500 });
    expect(authority.managedIdentity.requestCount("imds")).toBe(4); // probe + 3 attempts
  });

  it("an unknown identity (400) is a ClientAuthenticationError that stops a chain", async () => {
    const credential = await credentialFor(authority, "imds", { clientId: "unknown-client" });
    const chain = new ChainedTokenCredential(credential, fallback);
    const error = await rejectionOf(chain.getToken(ARM));
    expect(error).toMatchObject({
      name: "ClientAuthenticationError",
      statusCode: 400,
      errorCode: "invalid_request",
    });
    expect(error.message).toContain("Identity not found");
  });

  it("once IMDS has answered, a dropped connection is retried and then an authentication error", async () => {
    const credential = await credentialFor(authority, "imds", {
      retryOptions: { maxRetries: 1, retryDelayInMs: 0 },
    });
    await credential.getToken(ARM);
    authority.managedIdentity.setUnreachable(true);
    const error = await rejectionOf(credential.getToken("https://vault.azure.net/.default"));
    expect(error.name).toBe("ClientAuthenticationError");
  });
});

describe("lifetimes", () => {
  it("reads expires_in (string seconds) and refreshes long-lived tokens at half-life", async () => {
    const { clock, container } = manualTime();
    const long = await startAuthority({ now: () => clock.now(), tokenLifetimeInSeconds: 86_400 });
    try {
      const credential = await credentialFor(long, "imds", { container });
      const token = await credential.getToken(ARM);
      expect(token.expiresOnTimestamp).toBe(clock.now() + 86_400_000);
      expect(token.refreshAfterTimestamp).toBe(clock.now() + 43_200_000);
    } finally {
      await long.close();
    }
  });

  it("reads expires_on (string seconds, App Service) and refresh_in", async () => {
    const { clock, container } = manualTime();
    const other = await startAuthority({ now: () => clock.now() });
    try {
      other.managedIdentity.enqueueFaults([
        { kind: "token", lifetimeInSeconds: 600, refreshInSeconds: 300 },
      ]);
      const credential = await credentialFor(other, "app-service", { container });
      const token = await credential.getToken(ARM);
      expect(token.expiresOnTimestamp).toBe(Math.floor(clock.now() / 1000) * 1000 + 600_000);
      expect(token.refreshAfterTimestamp).toBe(clock.now() + 300_000);
    } finally {
      await other.close();
    }
  });

  it("reads expires_on as a JSON number (Service Fabric)", async () => {
    const { clock, container } = manualTime();
    const other = await startAuthority({ now: () => clock.now() });
    try {
      const credential = await credentialFor(other, "service-fabric", { container });
      const token = await credential.getToken(ARM);
      expect(token.expiresOnTimestamp).toBe(Math.floor(clock.now() / 1000) * 1000 + 3_599_000);
    } finally {
      await other.close();
    }
  });
});
