import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  startAuthority,
  type LocalAuthority,
} from "../src/index.js";
import { GRAPH_SCOPE, postToken, tokenParams } from "./helpers.js";

const FIXED_NOW = Date.UTC(2031, 1, 3, 4, 5, 6);

describe("request log", () => {
  let authority: LocalAuthority;

  beforeAll(async () => {
    authority = await startAuthority({ now: () => FIXED_NOW });
  });
  beforeEach(() => {
    authority.resetLog();
  });
  afterAll(async () => {
    await authority.close();
  });

  it("records token requests with client, scopes, claims, status and headers", async () => {
    const claims = JSON.stringify({ access_token: { xms_cc: { values: ["CP1"] } } });
    const res = await postToken(authority, tokenParams({ claims }), {
      headers: { "x-test": "yes" },
    });
    expect(res.status).toBe(200);
    expect(authority.requests).toHaveLength(1);
    expect(authority.requests[0]).toEqual({
      requestId: res.headers.get("x-ms-request-id"),
      method: "POST",
      path: `/${DEMO_TENANT_ID}/oauth2/v2.0/token`,
      endpoint: "token",
      tenant: DEMO_TENANT_ID,
      clientId: DEMO_CLIENT_ID,
      hasClientSecret: true,
      grantType: "client_credentials",
      scopes: [GRAPH_SCOPE],
      claims,
      status: 200,
      fault: undefined,
      time: FIXED_NOW,
      headers: expect.objectContaining({
        "x-test": "yes",
        "content-type": "application/x-www-form-urlencoded",
      }) as unknown,
    });
    expect(authority.tokenRequestCount()).toBe(1);
  });

  it("never records the client secret, from the body or from Basic authentication", async () => {
    await postToken(authority);
    await postToken(authority, tokenParams({ client_secret: "a-wrong-secret" }));
    const basic = Buffer.from(`${DEMO_CLIENT_ID}:${DEMO_CLIENT_SECRET}`).toString("base64");
    await postToken(authority, tokenParams({ client_secret: undefined }), {
      headers: { authorization: `Basic ${basic}` },
    });
    // Secrets in the query string are not Entra's API, but must not leak either.
    await fetch(`${authority.tokenEndpoint()}?client_secret=${DEMO_CLIENT_SECRET}`, {
      method: "POST",
    });

    const serialized = JSON.stringify(authority.requests);
    expect(serialized).not.toContain(DEMO_CLIENT_SECRET);
    expect(serialized).not.toContain("a-wrong-secret");
    expect(serialized).not.toContain(basic);
    expect(authority.requests.map((r) => r.hasClientSecret)).toEqual([true, true, true, false]);
    expect(authority.requests[2]?.headers.authorization).toBe("[redacted]");
  });

  it("counts only token endpoint requests, and resetLog clears both", async () => {
    await fetch(`${authority.url}/common/v2.0/.well-known/openid-configuration`);
    await fetch(`${authority.url}/unknown`);
    await postToken(authority, tokenParams({ client_secret: "wrong" }));
    expect(authority.requests.map((r) => [r.endpoint, r.status])).toEqual([
      ["openid-configuration", 200],
      ["not-found", 404],
      ["token", 401],
    ]);
    expect(authority.tokenRequestCount()).toBe(1);
    authority.resetLog();
    expect(authority.requests).toEqual([]);
    expect(authority.tokenRequestCount()).toBe(0);
  });

  it("returns snapshots, so callers cannot rewrite the log", async () => {
    await postToken(authority);
    const snapshot = authority.requests as unknown[];
    snapshot.length = 0;
    expect(authority.requests).toHaveLength(1);
  });

  it("waitForTokenRequests resolves once the count is reached", async () => {
    const waiting = authority.waitForTokenRequests(2);
    await postToken(authority);
    await postToken(authority);
    await expect(waiting).resolves.toBeUndefined();
    await expect(authority.waitForTokenRequests(1)).resolves.toBeUndefined();
  });

  it("keeps at most requestLogLimit entries but counts every token request", async () => {
    const small = await startAuthority({ requestLogLimit: 10 });
    try {
      for (let i = 0; i < 25; i++) await postToken(small);
      expect(small.requests.length).toBeLessThanOrEqual(10);
      expect(small.tokenRequestCount()).toBe(25);
    } finally {
      await small.close();
    }
  });
});
