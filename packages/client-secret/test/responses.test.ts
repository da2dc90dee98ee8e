import type { HttpTransport } from "@credchain/core";
import { startAuthority, useLocalAuthority } from "@credchain/local-authority";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ClientSecretCredential } from "../src/index.js";
import {
  demoCredential,
  GRAPH,
  manualTime,
  noRetries,
  rejectionOf,
  withTransport,
} from "./fixtures.js";
import { startRecordingServer, type RecordingServer, type Reply } from "./recordingServer.js";

const START = Date.UTC(2026, 0, 1);

const authority = useLocalAuthority({ hooks: { beforeAll, afterAll, afterEach } });

let server: RecordingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A credential on a ManualClock against a server that always answers `reply`. */
async function answering(
  reply: Reply,
  secret = "the-secret-value",
): Promise<ClientSecretCredential> {
  server = await startRecordingServer(() => reply);
  const { container } = manualTime(START);
  return new ClientSecretCredential("tenant", "client", secret, {
    authority: server.url,
    container,
    retryOptions: { maxRetries: 0 },
  });
}

const json = (body: unknown, status = 200): Reply => ({
  status,
  headers: { "content-type": "application/json; charset=utf-8" },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

describe("successful responses", () => {
  it("reads expires_in as a number, counting from the injected clock", async () => {
    const credential = await answering(
      json({ token_type: "Bearer", expires_in: 3599, access_token: "t1" }),
    );
    expect(await credential.getToken(GRAPH)).toEqual({
      token: "t1",
      expiresOnTimestamp: START + 3_599_000,
      refreshAfterTimestamp: START + 3_599_000 - 300_000,
      tokenType: "Bearer",
    });
  });

  it("reads expires_in as a numeric string", async () => {
    const credential = await answering(json({ expires_in: "3600", access_token: "t2" }));
    expect((await credential.getToken(GRAPH)).expiresOnTimestamp).toBe(START + 3_600_000);
  });

  it("reads expires_on (epoch seconds, number or string) when there is no expires_in", async () => {
    const expiresOn = START / 1000 + 1800;
    let credential = await answering(json({ expires_on: String(expiresOn), access_token: "t3" }));
    expect((await credential.getToken(GRAPH)).expiresOnTimestamp).toBe(expiresOn * 1000);
    await server?.close();
    credential = await answering(json({ expires_on: expiresOn, access_token: "t3" }));
    expect((await credential.getToken(GRAPH)).expiresOnTimestamp).toBe(expiresOn * 1000);
  });

  it("turns refresh_in into refreshAfterTimestamp", async () => {
    const credential = await answering(
      json({ expires_in: 86_399, refresh_in: 43_199, access_token: "t4" }),
    );
    const token = await credential.getToken(GRAPH);
    expect(token.refreshAfterTimestamp).toBe(START + 43_199_000);
    expect(token.expiresOnTimestamp).toBe(START + 86_399_000);
  });

  it("defaults token_type to Bearer and keeps pop", async () => {
    let credential = await answering(json({ expires_in: 60, access_token: "t5" }));
    expect((await credential.getToken(GRAPH)).tokenType).toBe("Bearer");
    await server?.close();
    credential = await answering(json({ token_type: "pop", expires_in: 60, access_token: "t5" }));
    expect((await credential.getToken(GRAPH)).tokenType).toBe("pop");
  });

  it("getTokenInfo answers in seconds", async () => {
    const credential = await answering(
      json({ token_type: "Bearer", expires_in: 3599, refresh_in: 1800, access_token: "t6" }),
    );
    expect(await credential.getTokenInfo(GRAPH, { someUnknownOption: true })).toEqual({
      token: "t6",
      expiresOn: Math.floor((START + 3_599_000) / 1000),
      refreshOn: Math.floor((START + 1_800_000) / 1000),
      tokenType: "Bearer",
    });
  });

  it.each([
    [" 3600 ", START + 3_600_000],
    ["3599.5", START + 3_599_500],
    [3599.25, START + 3_599_250],
  ])("reads expires_in %j", async (expiresIn, expected) => {
    const credential = await answering(json({ expires_in: expiresIn, access_token: "t" }));
    expect((await credential.getToken(GRAPH)).expiresOnTimestamp).toBe(expected);
  });

  it("takes expires_on when expires_in is out of range, instead of an expiry no Date can hold", async () => {
    const expiresOn = START / 1000 + 600;
    const credential = await answering(
      json({ expires_in: 1e300, expires_on: expiresOn, access_token: "t" }),
    );
    const token = await credential.getToken(GRAPH);
    expect(token.expiresOnTimestamp).toBe(expiresOn * 1000);
  });

  it.each([
    [{ expires_in: 1e300 }],
    [{ expires_in: 1e308 }], // times 1000 is Infinity
    [{ expires_on: 1e13 }], // past year 275,760
    [{ expires_in: -5 }],
    [{ expires_in: "-5" }],
    [{ expires_in: "soon" }],
    [{ expires_in: "" }],
  ])("refuses a lifetime that is not one: %j", async (lifetime) => {
    const credential = await answering(json({ ...lifetime, access_token: "t" }));
    const error = await rejectionOf(credential.getToken(GRAPH));
    expect(error.message).toMatch(/no usable expires_in or expires_on/);
  });

  it.each(["number", "string", "expires_on"] as const)(
    "works with the local authority's %s lifetime format",
    async (expiresAs) => {
      await using local = await startAuthority({ expiresAs, refreshInSeconds: 600 });
      const before = Date.now();
      const token = await demoCredential(local).getToken(GRAPH);
      expect(token.expiresOnTimestamp).toBeGreaterThan(before);
      expect(token.refreshAfterTimestamp).toBeLessThan(token.expiresOnTimestamp);
    },
  );
});

describe("unusable successful responses", () => {
  it("a 200 without access_token is an 'unexpected response' error", async () => {
    authority.setFaults([{ kind: "no-token" }]);
    const error = await rejectionOf(demoCredential(authority).getToken(GRAPH));
    expect(error.name).toBe("ClientAuthenticationError");
    expect(error.message).toMatch(/unexpected response .*\(status 200\): it has no access_token/);
    expect(error["statusCode"]).toBe(200);
  });

  it("a 200 without a lifetime names the problem and masks the token", async () => {
    const jwt = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig";
    const credential = await answering(json({ token_type: "Bearer", access_token: jwt }));
    const error = await rejectionOf(credential.getToken(GRAPH));
    expect(error.message).toMatch(/unexpected response .*no usable expires_in or expires_on/);
    expect(error.message).toContain('"access_token":"[REDACTED]"');
    expect(error.message).not.toContain(jwt);
    expect(JSON.stringify(error.cause)).not.toContain(jwt);
  });

  it("a JSON body that is not an object is unexpected", async () => {
    const credential = await answering(json("[1,2]"));
    const error = await rejectionOf(credential.getToken(GRAPH));
    expect(error.message).toMatch(/unexpected response .*not a JSON object/);
  });
});

describe("error responses", () => {
  it("carry status, error, AADSTS codes, correlation and trace ids, and the body as cause", async () => {
    const credential = demoCredential(authority, {}, "not-the-secret");
    const error = await rejectionOf(credential.getToken(GRAPH));
    const entry = authority.requests[0];

    expect(error.name).toBe("ClientAuthenticationError");
    expect(error["statusCode"]).toBe(401);
    expect(error["errorCode"]).toBe("invalid_client");
    expect(error["errorCodes"]).toEqual([7000215]);
    expect(error["traceId"]).toBe(entry?.requestId);
    expect(error["correlationId"]).toBe(entry?.headers["client-request-id"]); // Entra echoes ours
    expect((error.cause as { error?: string }).error).toBe("invalid_client");
    expect(error.message).toMatch(
      /answered 401 invalid_client: AADSTS7000215: Invalid client secret provided\..*\(Correlation ID: [0-9a-f-]+, Trace ID: [0-9a-f-]+\)$/,
    );
    expect(error.message).not.toContain("\r\n"); // the first line of the description, once
  });

  it("explains an unknown tenant (AADSTS90002)", async () => {
    await using local = await startAuthority({ tenants: ["only-this-one"] });
    const error = await rejectionOf(demoCredential(local).getToken(GRAPH));
    expect(error["errorCodes"]).toEqual([90002]);
    expect(error.message).toMatch(/400 invalid_request: AADSTS90002: Tenant '.*' not found/);
  });

  it("explains a bad scope (AADSTS1002012) without retrying it", async () => {
    const error = await rejectionOf(
      demoCredential(authority).getToken("https://graph.microsoft.com/User.Read"),
    );
    expect(error["errorCode"]).toBe("invalid_scope");
    expect(authority.tokenRequestCount()).toBe(1);
  });

  it("falls back to the AADSTS code in the description and to response headers for ids", async () => {
    const credential = await answering({
      status: 400,
      headers: { "content-type": "application/json", "x-ms-request-id": "trace-from-header" },
      body: JSON.stringify({ error: "invalid_grant", error_description: "AADSTS70000: bad grant" }),
    });
    const error = await rejectionOf(credential.getToken(GRAPH));
    expect(error["errorCodes"]).toEqual([70000]);
    expect(error["traceId"]).toBe("trace-from-header");
  });

  it("an HTML page from a proxy is a clear non-JSON error with the status", async () => {
    authority.setFaults([{ kind: "html", status: 502 }]);
    const error = await rejectionOf(
      demoCredential(authority, { retryOptions: noRetries }).getToken(GRAPH),
    );
    expect(error.name).toBe("ClientAuthenticationError");
    expect(error["statusCode"]).toBe(502);
    expect(error.message).toMatch(
      /returned a non-JSON response \(status 502, content-type text\/html\): "<html>.*502 Bad Gateway.*proxy/,
    );
  });

  it("a truncated JSON body is a clear non-JSON error", async () => {
    authority.setFaults([{ kind: "malformed-json" }]);
    const error = await rejectionOf(demoCredential(authority).getToken(GRAPH));
    expect(error["statusCode"]).toBe(200);
    expect(error.message).toMatch(
      /non-JSON response \(status 200, content-type application\/json.*cut off/,
    );
  });

  it("never dumps a huge body into the message", async () => {
    const credential = await answering({
      status: 403,
      headers: { "content-type": "text/html" },
      body: `<html>${"<p>blocked by policy</p>".repeat(5000)}</html>`,
    });
    const error = await rejectionOf(credential.getToken(GRAPH));
    expect(error.message).toContain("status 403");
    expect(error.message.length).toBeLessThan(800);
  });

  it("reads content-type and request ids whatever case a custom transport kept them in", async () => {
    const transport: HttpTransport = {
      send: () =>
        Promise.resolve({
          status: 400,
          headers: {
            "Content-Type": "text/plain",
            "Client-Request-Id": "correlation-from-header",
            "X-Ms-Request-Id": "trace-from-header",
          },
          body: "bad request",
        }),
    };
    let credential = new ClientSecretCredential("tenant", "client", "secret", {
      container: withTransport(transport),
    });
    let error = await rejectionOf(credential.getToken(GRAPH));
    expect(error.message).toContain("content-type text/plain");

    transport.send = () =>
      Promise.resolve({
        status: 400,
        headers: { "Client-Request-Id": "correlation-from-header", "X-Ms-Request-Id": "trace" },
        body: JSON.stringify({ error: "invalid_request" }),
      });
    credential = new ClientSecretCredential("tenant", "client", "secret", {
      container: withTransport(transport),
    });
    error = await rejectionOf(credential.getToken(GRAPH));
    expect(error["correlationId"]).toBe("correlation-from-header");
    expect(error["traceId"]).toBe("trace");
  });

  it("an empty body says so", async () => {
    const credential = await answering({ status: 404, headers: {}, body: "" });
    const error = await rejectionOf(credential.getToken(GRAPH));
    expect(error.message).toMatch(/status 404, content-type none\): an empty body/);
  });

  it("does not keep a non-retriable error: the next call asks again", async () => {
    const credential = demoCredential(authority);
    authority.enqueueFaults([{ kind: "status", status: 400 }]);
    await rejectionOf(credential.getToken(GRAPH));
    await credential.getToken(GRAPH);
    expect(authority.tokenRequestCount()).toBe(2);
  });
});
