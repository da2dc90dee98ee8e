import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startAuthority, type Fault, type LocalAuthority } from "../src/index.js";
import { type AadErrorJson, GRAPH_SCOPE, postToken, tokenParams } from "./helpers.js";

describe("programmable faults", () => {
  let authority: LocalAuthority;

  beforeAll(async () => {
    authority = await startAuthority();
  });
  afterEach(() => {
    authority.clearFaults();
    authority.resetLog();
  });
  afterAll(async () => {
    await authority.close();
  });

  const lastEntry = () => authority.requests.at(-1);

  it("status 429: temporarily_unavailable with Retry-After as given", async () => {
    authority.enqueueFaults([{ kind: "status", status: 429, retryAfter: "7" }]);
    const res = await postToken(authority);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    const body = (await res.json()) as AadErrorJson;
    expect(body.error).toBe("temporarily_unavailable");
    expect(body.error_description).toMatch(/^AADSTS\d+: /);
    expect(lastEntry()).toMatchObject({ status: 429, fault: "status" });
  });

  it("status 500: server_error with AADSTS50000", async () => {
    authority.enqueueFaults([{ kind: "status", status: 500 }]);
    const res = await postToken(authority);
    expect(res.status).toBe(500);
    expect(res.headers.get("retry-after")).toBeNull();
    expect((await res.json()) as AadErrorJson).toMatchObject({
      error: "server_error",
      error_codes: [50000],
    });
  });

  it("status 503 with an HTTP-date Retry-After and a custom body", async () => {
    const date = "Wed, 21 Oct 2015 07:28:00 GMT";
    authority.enqueueFaults([
      { kind: "status", status: 503, retryAfter: date, body: "Service Unavailable" },
    ]);
    const res = await postToken(authority);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe(date);
    expect(res.headers.get("content-type")).toContain("text/plain");
    expect(await res.text()).toBe("Service Unavailable");
  });

  it("status with overridden error fields", async () => {
    authority.enqueueFaults([
      {
        kind: "status",
        status: 400,
        error: "invalid_grant",
        errorCode: 700082,
        message: "Expired.",
      },
    ]);
    const body = (await (await postToken(authority)).json()) as AadErrorJson;
    expect(body).toMatchObject({ error: "invalid_grant", error_codes: [700082] });
    expect(body.error_description.startsWith("AADSTS700082: Expired.\r\nTrace ID: ")).toBe(true);
  });

  it("reset: the connection drops without a response", async () => {
    authority.enqueueFaults([{ kind: "reset" }]);
    const error = await postToken(authority).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(lastEntry()).toMatchObject({ status: 0, fault: "reset" });
    expect((await postToken(authority)).status).toBe(200);
  });

  it("malformed-json: 200 with a JSON content type and an unparseable body", async () => {
    authority.enqueueFaults([{ kind: "malformed-json" }]);
    const res = await postToken(authority);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const text = await res.text();
    expect(text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
  });

  it("html: a 502 gateway page", async () => {
    authority.enqueueFaults([{ kind: "html" }]);
    const res = await postToken(authority);
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toBe("text/html");
    expect(await res.text()).toContain("<title>502 Bad Gateway</title>");
  });

  it("oversized: a valid token response of exactly the requested size", async () => {
    authority.enqueueFaults([{ kind: "oversized", bytes: 300_000 }]);
    const res = await postToken(authority);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe("300000");
    const text = await res.text();
    expect(Buffer.byteLength(text)).toBe(300_000);
    const body = JSON.parse(text) as { token_type: string; access_token: string };
    expect(body.token_type).toBe("Bearer");
    expect(body.access_token.length).toBeGreaterThan(290_000);
  });

  it("hang: no response until the client gives up", async () => {
    authority.enqueueFaults([{ kind: "hang" }]);
    const controller = new AbortController();
    const pending = postToken(authority, tokenParams(), { signal: controller.signal });
    await authority.waitForTokenRequests(1);
    expect(lastEntry()).toMatchObject({ status: 0, fault: "hang" });
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    expect((await postToken(authority)).status).toBe(200);
  });

  it("no-token: 200 JSON without access_token", async () => {
    authority.enqueueFaults([{ kind: "no-token" }]);
    const res = await postToken(authority);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      token_type: "Bearer",
      expires_in: 3599,
      ext_expires_in: 3599,
    });
  });

  it("token: shapes one successful response", async () => {
    authority.enqueueFaults([
      { kind: "token", lifetimeInSeconds: 60, refreshInSeconds: 30, expiresAs: "string" },
    ]);
    const shaped = (await (await postToken(authority)).json()) as Record<string, unknown>;
    expect(shaped).toMatchObject({ expires_in: "60", ext_expires_in: "60", refresh_in: 30 });
    expect(typeof shaped.access_token).toBe("string");
    const next = (await (await postToken(authority)).json()) as Record<string, unknown>;
    expect(next.expires_in).toBe(3599);
    expect(next.refresh_in).toBeUndefined();
  });

  it("token: does not bypass client validation", async () => {
    authority.enqueueFaults([{ kind: "token", lifetimeInSeconds: 60 }]);
    expect((await postToken(authority, tokenParams({ client_secret: "wrong" }))).status).toBe(401);
  });

  it("latency: answers normally after the delay", async () => {
    authority.enqueueFaults([{ kind: "latency", ms: 20 }]);
    const res = await postToken(authority);
    expect(res.status).toBe(200);
    expect(lastEntry()).toMatchObject({ status: 200, fault: "latency" });
  });

  it("latency: holds only the matching request while others are served", async () => {
    authority.enqueueFaults([{ kind: "latency", ms: 600_000, scope: "api://slow" }]);
    const controller = new AbortController();
    const slow = postToken(authority, tokenParams({ scope: "api://slow/.default" }), {
      signal: controller.signal,
    });
    await authority.waitForTokenRequests(1);
    expect((await postToken(authority)).status).toBe(200);
    expect(authority.requests[0]).toMatchObject({ status: 0, fault: "latency" });
    controller.abort();
    await expect(slow).rejects.toThrow(/abort/i);
  });

  it("delayMs delays any fault", async () => {
    authority.enqueueFaults([{ kind: "status", status: 500, delayMs: 10 }]);
    expect((await postToken(authority)).status).toBe(500);
  });

  it("enqueued faults are consumed one per request, in order", async () => {
    authority.enqueueFaults([
      { kind: "status", status: 500 },
      { kind: "status", status: 503 },
    ]);
    expect(authority.queuedFaultCount()).toBe(2);
    expect((await postToken(authority)).status).toBe(500);
    expect((await postToken(authority)).status).toBe(503);
    expect((await postToken(authority)).status).toBe(200);
    expect(authority.queuedFaultCount()).toBe(0);
  });

  it("persistent faults apply to every request until cleared", async () => {
    authority.setFaults([{ kind: "status", status: 500 }]);
    for (let i = 0; i < 3; i++) expect((await postToken(authority)).status).toBe(500);
    authority.clearFaults();
    expect((await postToken(authority)).status).toBe(200);
  });

  it("queued faults take precedence over persistent ones", async () => {
    authority.setFaults([{ kind: "status", status: 500 }]);
    authority.enqueueFaults([{ kind: "status", status: 429 }]);
    expect((await postToken(authority)).status).toBe(429);
    expect((await postToken(authority)).status).toBe(500);
  });

  it("filters faults by tenant, client and scope", async () => {
    authority.setFaults([
      { kind: "status", status: 500, tenant: "broken-tenant" },
      { kind: "status", status: 503, scope: "https://vault.azure.net" },
    ]);
    expect((await postToken(authority)).status).toBe(200);
    expect((await postToken(authority, tokenParams(), { tenant: "broken-tenant" })).status).toBe(
      500,
    );
    const vault = tokenParams({ scope: "https://vault.azure.net/.default" });
    expect((await postToken(authority, vault)).status).toBe(503);

    authority.clearFaults();
    authority.enqueueFaults([{ kind: "status", status: 500, clientId: "someone-else" }]);
    expect((await postToken(authority)).status).toBe(200);
    expect(authority.queuedFaultCount()).toBe(1);
  });

  it("outage: every token request fails with 500 until turned off", async () => {
    authority.setOutage(true);
    for (let i = 0; i < 3; i++) {
      const res = await postToken(authority);
      expect(res.status).toBe(500);
      expect(((await res.json()) as AadErrorJson).error).toBe("server_error");
    }
    expect(lastEntry()?.fault).toBe("outage");
    // Discovery keeps working during an outage; only token issuance is down.
    const keys = await fetch(`${authority.url}/common/discovery/v2.0/keys`);
    expect(keys.status).toBe(200);
    authority.setOutage(false);
    expect((await postToken(authority)).status).toBe(200);
  });

  it("rejects malformed faults when they are set", () => {
    expect(() => authority.setFaults([{ kind: "explode" } as unknown as Fault])).toThrow(TypeError);
    expect(() => authority.enqueueFaults([{ kind: "latency", ms: -1 }])).toThrow(TypeError);
    expect(() => authority.setFaults([{ kind: "status", status: 99 }])).toThrow(TypeError);
    expect(authority.queuedFaultCount()).toBe(0);
  });

  it("applies faults given at start persistently", async () => {
    const faulty = await startAuthority({ faults: [{ kind: "status", status: 503 }] });
    try {
      expect((await postToken(faulty)).status).toBe(503);
      expect((await postToken(faulty)).status).toBe(503);
    } finally {
      await faulty.close();
    }
  });

  it("applies faults before request validation, like an infrastructure failure", async () => {
    authority.enqueueFaults([{ kind: "status", status: 500 }]);
    const res = await postToken(
      authority,
      tokenParams({ client_secret: "wrong", scope: GRAPH_SCOPE }),
    );
    expect(res.status).toBe(500);
  });
});
