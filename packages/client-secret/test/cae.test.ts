import { useLocalAuthority } from "@credchain/local-authority";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ARM, demoCredential, GRAPH, rejectionOf } from "./fixtures.js";

const authority = useLocalAuthority({ hooks: { beforeAll, afterAll, afterEach } });

const CP1 = { access_token: { xms_cc: { values: ["CP1"] } } };
const sentClaims = (): Array<unknown> =>
  authority.requests.map((r) => (r.claims === undefined ? undefined : JSON.parse(r.claims)));

describe("continuous access evaluation", () => {
  it("asks for the CP1 capability when enableCae is set, and not otherwise", async () => {
    const credential = demoCredential(authority);
    await credential.getToken(GRAPH);
    await credential.getToken(ARM, { enableCae: true });
    expect(sentClaims()).toEqual([undefined, CP1]);
  });

  it("keeps CAE and non-CAE tokens in separate partitions: one request each, then cache hits", async () => {
    const credential = demoCredential(authority);
    const plain = await credential.getToken(GRAPH);
    const cae = await credential.getToken(GRAPH, { enableCae: true });
    const plainAgain = await credential.getToken(GRAPH);
    const caeAgain = await credential.getToken(GRAPH, { enableCae: true });

    expect(authority.tokenRequestCount()).toBe(2);
    expect(cae.token).not.toBe(plain.token);
    expect(plainAgain.token).toBe(plain.token);
    expect(caeAgain.token).toBe(cae.token);
  });

  it("merges CP1 into the caller's claims challenge, keeping what it holds", async () => {
    const credential = demoCredential(authority);
    const challenge = { access_token: { nbf: { essential: true, value: "1726000000" } } };
    await credential.getToken(GRAPH, { enableCae: true, claims: JSON.stringify(challenge) });
    expect(sentClaims()).toEqual([
      {
        access_token: {
          nbf: { essential: true, value: "1726000000" },
          xms_cc: { values: ["CP1"] },
        },
      },
    ]);
  });

  it("rejects a claims string that is not a JSON object with CAE, sending nothing", async () => {
    const credential = demoCredential(authority);
    const error = await rejectionOf(
      credential.getToken(GRAPH, { enableCae: true, claims: "not json" }),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(authority.tokenRequestCount()).toBe(0);
  });
});

describe("claims challenges", () => {
  it("go to the network even when a token is cached, and the result is cached for later calls", async () => {
    const credential = demoCredential(authority);
    const cached = await credential.getToken(GRAPH);
    const claims = JSON.stringify({ access_token: { acrs: { essential: true, value: "c1" } } });

    const challenged = await credential.getToken(GRAPH, { claims });
    expect(authority.tokenRequestCount()).toBe(2);
    expect(challenged.token).not.toBe(cached.token);

    const later = await credential.getToken(GRAPH);
    expect(authority.tokenRequestCount()).toBe(2);
    expect(later.token).toBe(challenged.token);
    expect(authority.requests[1]?.claims).toBe(claims);
  });

  it("every call with claims is a fresh request", async () => {
    const credential = demoCredential(authority);
    const claims = JSON.stringify({ access_token: { acrs: { essential: true, value: "c1" } } });
    await credential.getToken(GRAPH, { claims });
    await credential.getToken(GRAPH, { claims });
    expect(authority.tokenRequestCount()).toBe(2);
  });
});
