import { inspect } from "node:util";
import { startAuthority, type LocalAuthority } from "@credchain/local-authority";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ClientSecretCredential, EnvironmentCredential } from "../src/index.js";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  errorText,
  GRAPH,
  manualTime,
  recordEvents,
  rejectionOf,
} from "./fixtures.js";
import { startRecordingServer } from "./recordingServer.js";

// Distinctive values, so a search for them cannot match by accident.
const SECRET = "Zq8~SECRET-VALUE-4f1a.x_y";

let authority: LocalAuthority;
beforeAll(async () => {
  authority = await startAuthority({
    clients: [{ clientId: DEMO_CLIENT_ID, clientSecret: SECRET }],
  });
});
afterAll(async () => {
  await authority.close();
});
afterEach(() => {
  authority.clearFaults();
  authority.resetLog();
  vi.unstubAllEnvs();
});

function credential(secret = SECRET, options = {}): ClientSecretCredential {
  return new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, secret, {
    authority: authority.url,
    ...options,
  });
}

const views = (value: unknown): string[] => [
  inspect(value),
  inspect(value, { showHidden: true, depth: Infinity, getters: true }),
  inspect(value, { customInspect: false, showHidden: true, depth: Infinity }),
  JSON.stringify(value),
  String(value),
  JSON.stringify(Object.entries(value as object)),
];

describe("the client secret never shows", () => {
  it("in util.inspect, JSON.stringify or the credential's own properties", async () => {
    const cred = credential();
    await cred.getToken(GRAPH);
    for (const view of views(cred)) expect(view).not.toContain(SECRET);
    expect(JSON.parse(JSON.stringify(cred))).toEqual({
      credential: "ClientSecretCredential",
      tenantId: DEMO_TENANT_ID,
      clientId: DEMO_CLIENT_ID,
      authorityHost: authority.url,
    });
  });

  it("in the options object the caller passed (it is not modified) or anything kept from it", () => {
    const options = { authority: authority.url, additionallyAllowedTenants: ["*"] };
    const cred = new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, SECRET, options);
    expect(options).toEqual({ authority: authority.url, additionallyAllowedTenants: ["*"] });
    for (const view of views(cred)) expect(view).not.toContain(SECRET);
  });

  it("in events, errors or tokens' neighbours: a full success, failure, refresh and close", async () => {
    const { clock, container } = manualTime();
    const cred = credential(SECRET, { container });
    const { events, stop } = recordEvents(cred.events);

    const token = await cred.getToken(GRAPH);
    await cred.getToken(GRAPH); // cache hit
    authority.enqueueFaults([{ kind: "status", status: 400 }]);
    clock.advance(3_599_000 - 300_000);
    await cred.getToken(GRAPH); // background refresh that fails
    await expect
      .poll(() =>
        events.some((e) => e.name === "token:refresh" && JSON.stringify(e).includes("failed")),
      )
      .toBe(true);
    const wrong = credential("wrong-secret-for-the-demo");
    const wrongEvents = recordEvents(wrong.events);
    const error = await rejectionOf(wrong.getToken(GRAPH));
    await cred.close();
    stop();
    wrongEvents.stop();

    const names = new Set(events.map((e) => e.name));
    for (const name of [
      "token:request",
      "token:cache-hit",
      "token:acquired",
      "token:refresh",
      "token:error",
      "http:request",
      "http:response",
      "credential:close",
    ]) {
      expect(names).toContain(name);
    }
    const everything = [
      ...events.map((e) => JSON.stringify(e) + inspect(e, { depth: Infinity })),
      ...wrongEvents.events.map((e) => JSON.stringify(e) + inspect(e, { depth: Infinity })),
      errorText(error),
      inspect(error, { depth: Infinity }),
    ].join("\n");
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain("wrong-secret-for-the-demo");
    expect(everything).not.toContain(token.token);
  });

  it("in an error even when the server echoes it back, raw or form-encoded", async () => {
    const secret = "echo me+back/=&";
    await using server = await startRecordingServer((request) => ({
      status: 401,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        error: "invalid_client",
        error_description: `AADSTS7000215: bad secret ${secret} (${request.body})`,
        error_codes: [7000215],
        debug: { echoed: secret },
      }),
    }));
    const cred = new ClientSecretCredential("tenant", "client", secret, { authority: server.url });
    const error = await rejectionOf(cred.getToken(GRAPH));
    const text = errorText(error) + inspect(error, { depth: Infinity });
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encodeURIComponent(secret));
    expect(text).not.toContain(new URLSearchParams({ s: secret }).toString().slice(2));
    expect(error.message).toContain("bad secret [REDACTED]");
  });

  it("in a non-JSON error page that echoes it", async () => {
    await using server = await startRecordingServer(() => ({
      status: 400,
      headers: { "content-type": "text/plain" },
      body: `rejected client_secret=${SECRET}`,
    }));
    const cred = new ClientSecretCredential("tenant", "client", SECRET, { authority: server.url });
    const error = await rejectionOf(cred.getToken(GRAPH));
    expect(errorText(error)).not.toContain(SECRET);
  });

  it("in a truncated token response's excerpt: no token fragment either", async () => {
    const token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzZWNyZXQtdG9rZW4ifQ.c2ln";
    await using server = await startRecordingServer(() => ({
      status: 200,
      headers: { "content-type": "application/json" },
      body: `{"token_type":"Bearer","expires_in":3599,"access_token":"${token.slice(0, 40)}`,
    }));
    const cred = new ClientSecretCredential("tenant", "client", SECRET, { authority: server.url });
    const error = await rejectionOf(cred.getToken(GRAPH));
    expect(error.message).toContain('"access_token":"[REDACTED]');
    expect(errorText(error)).not.toContain(token.slice(0, 20));
  });

  it("in EnvironmentCredential's inspect, toJSON or errors", async () => {
    vi.stubEnv("AZURE_TENANT_ID", DEMO_TENANT_ID);
    vi.stubEnv("AZURE_CLIENT_ID", DEMO_CLIENT_ID);
    vi.stubEnv("AZURE_CLIENT_SECRET", SECRET);
    vi.stubEnv("AZURE_AUTHORITY_HOST", authority.url);
    const env = new EnvironmentCredential();
    await env.getToken(GRAPH);
    for (const view of views(env)) expect(view).not.toContain(SECRET);

    vi.stubEnv("AZURE_CLIENT_ID", undefined);
    const unavailable = new EnvironmentCredential();
    for (const view of views(unavailable)) expect(view).not.toContain(SECRET);
    expect(errorText(await rejectionOf(unavailable.getToken(GRAPH)))).not.toContain(SECRET);
  });

  it("sanity: the demo secret of this suite is the one the authority checks", async () => {
    expect(SECRET).not.toBe(DEMO_CLIENT_SECRET);
    await expect(credential().getToken(GRAPH)).resolves.toBeTruthy();
  });
});
