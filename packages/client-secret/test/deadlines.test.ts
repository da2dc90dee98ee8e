// ClientSecretCredential takes the deadlines every credential has (issue 8 item 2).
import { startAuthority, type LocalAuthority } from "@credchain/local-authority";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { demoCredential, GRAPH, manualTime, rejectionOf } from "./fixtures.js";

let authority: LocalAuthority;
beforeAll(async () => {
  authority = await startAuthority();
});
afterAll(async () => {
  await authority.close();
});
afterEach(() => {
  authority.clearFaults();
  authority.resetLog();
});

describe("deadlines", () => {
  it("a hanging authority is given up after attemptTimeoutInMs per attempt, on the injected clock", async () => {
    authority.setFaults([{ kind: "hang" }]);
    const { clock, container } = manualTime();
    const credential = demoCredential(authority, {
      container,
      attemptTimeoutInMs: 2_000,
      retryOptions: { maxRetries: 0 },
    });
    const pending = rejectionOf(credential.getToken(GRAPH));
    await authority.waitForTokenRequests(1);
    clock.advance(2_000);
    const error = await pending;
    expect(error.name).toBe("ClientAuthenticationError");
    expect(String(error["message"])).toContain("attemptTimeoutInMs");
    await credential.close();
  });

  it("requestTimeoutInMs bounds the whole acquisition", async () => {
    authority.setFaults([{ kind: "hang" }]);
    const { clock, container } = manualTime();
    const credential = demoCredential(authority, {
      container,
      requestTimeoutInMs: 5_000,
      attemptTimeoutInMs: 60_000,
    });
    const pending = rejectionOf(credential.getToken(GRAPH));
    await authority.waitForTokenRequests(1);
    clock.advance(5_000);
    const error = await pending;
    expect(error.name).toBe("TimeoutError");
    await credential.close();
  });

  it("a duration over 2^31-1 ms is a RangeError at construction", () => {
    expect(() => demoCredential(authority, { requestTimeoutInMs: 1e12 })).toThrow(RangeError);
  });
});
