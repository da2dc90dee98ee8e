import { inspect } from "node:util";
import { credentialEventNames, type HttpRequest, type HttpTransport } from "@credchain/core";
import { useLocalAuthority } from "@credchain/local-authority";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ClientSecretCredential, EnvironmentCredential } from "../src/index.js";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  errorText,
  GRAPH,
  manualTime,
  reachableText,
  recordEvents,
  rejectionOf,
  withTransport,
} from "./fixtures.js";
import { startRecordingServer } from "./recordingServer.js";

// Distinctive values, so a search for them cannot match by accident.
const SECRET = "Zq8~SECRET-VALUE-4f1a.x_y";

const authority = useLocalAuthority({
  clients: [{ clientId: DEMO_CLIENT_ID, clientSecret: SECRET }],
  hooks: { beforeAll, afterAll, afterEach },
});
afterEach(() => {
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
    // Every event but cache:error (no persistent cache here) fired, and is scanned below.
    // token:regional-fallback needs a regional authority: test/integration/regionalAuthority.test.ts.
    // credential:select is fired only by selecting credentials (DefaultAzureCredential).
    for (const name of credentialEventNames.filter(
      (name) =>
        name !== "cache:error" &&
        name !== "credential:select" &&
        name !== "token:regional-fallback",
    )) {
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

describe("the client secret never shows, whatever the transport or server does", () => {
  const secret = "Tr4nsport~Secret.value_9";
  const encoded = new URLSearchParams({ s: secret }).toString().slice(2);

  it("in a transport error that holds the request it failed to send (as @azure/core-rest-pipeline's RestError does)", async () => {
    const sent: HttpRequest[] = [];
    const transport: HttpTransport = {
      send: (request) => {
        sent.push(request);
        // RestError's shape: `code`, and the whole request, form body and all, as `request`.
        const error = Object.assign(
          new Error(`connect ECONNREFUSED while sending ${request.body ?? ""}`),
          { name: "RestError", code: "ECONNREFUSED", request, details: { body: request.body } },
        );
        return Promise.reject(error);
      },
    };
    const cred = new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, secret, {
      authority: "https://login.microsoftonline.com",
      container: withTransport(transport),
      retryOptions: { maxRetries: 0 },
    });
    const { events, stop } = recordEvents(cred.events);
    const error = await rejectionOf(cred.getToken(GRAPH));
    stop();

    expect(sent[0]?.body).toContain(encoded); // the secret really was in what the transport held
    expect(error.name).toBe("ClientAuthenticationError");
    const cause = error.cause as Error & { code?: string; request?: HttpRequest };
    expect(cause.name).toBe("RestError");
    expect(cause.code).toBe("ECONNREFUSED"); // what is useful survives
    expect(cause).not.toHaveProperty("request"); // the request it held stays behind
    expect(cause.message).toContain("[REDACTED]"); // and its message no longer quotes the form
    const tokenErrors = events.filter((e) => e.name === "token:error");
    expect(tokenErrors).toHaveLength(2); // credential and process-wide
    const text = [
      errorText(error),
      inspect(error, { depth: Infinity, showHidden: true }),
      ...tokenErrors.map((e) => reachableText(e.payload)),
    ].join("\n");
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encoded);
  });

  it("keeps what explains a transport error: name, message, network code", async () => {
    const failure = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const cred = new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, secret, {
      container: withTransport({ send: () => Promise.reject(failure) }),
      retryOptions: { maxRetries: 0 },
    });
    const error = await rejectionOf(cred.getToken(GRAPH));
    expect(error.cause).toMatchObject({
      name: "Error",
      message: "connect ECONNREFUSED",
      code: "ECONNREFUSED",
    });
  });

  it("in the error fields a server fills with it: error, correlation_id and trace_id", async () => {
    await using server = await startRecordingServer(() => ({
      status: 400,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ error: secret, correlation_id: encoded, trace_id: secret }),
    }));
    const cred = new ClientSecretCredential("tenant", "client", secret, { authority: server.url });
    const error = await rejectionOf(cred.getToken(GRAPH));
    expect(error["errorCode"]).toBe("[REDACTED]");
    const text = errorText(error);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encoded);
  });

  it("in a body too broken to parse that echoes it JSON-escaped", async () => {
    const quoting = 'has"quote\\and-backslash';
    const escaped = JSON.stringify(quoting).slice(1, -1);
    await using server = await startRecordingServer(() => ({
      status: 200,
      headers: { "content-type": "application/json" },
      body: `{"debug":"${escaped}","access_token":"x`,
    }));
    const cred = new ClientSecretCredential("tenant", "client", quoting, { authority: server.url });
    const error = await rejectionOf(cred.getToken(GRAPH));
    expect(error.message).toMatch(/non-JSON response/);
    expect(errorText(error)).not.toContain(escaped);
  });

  it("no opaque token from a form-encoded answer (a non-Entra OAuth server) in the message", async () => {
    await using server = await startRecordingServer(() => ({
      status: 200,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "access_token=opaque-token-value-123&token_type=bearer&expires_in=3600",
    }));
    const cred = new ClientSecretCredential("tenant", "client", secret, { authority: server.url });
    const error = await rejectionOf(cred.getToken(GRAPH));
    expect(error.message).toContain("access_token=[REDACTED]&token_type=bearer");
    expect(errorText(error)).not.toContain("opaque-token-value-123");
  });
});

describe("scrubbing a transport error", () => {
  it("never rewrites an error's name, even when the secret occurs in it", async () => {
    const secret = "Error"; // absurd, but valid: and every error name contains it
    const transport: HttpTransport = {
      send: (request) =>
        Promise.reject(
          Object.assign(new Error("connect ECONNREFUSED"), { name: "RestError", request }),
        ),
    };
    const cred = new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, secret, {
      container: withTransport(transport),
      retryOptions: { maxRetries: 0 },
    });
    const error = await rejectionOf(cred.getToken(GRAPH));
    expect(error.name).toBe("ClientAuthenticationError");
    expect((error.cause as Error).name).toBe("RestError");
    expect(reachableText(error)).not.toContain("client_secret=Error");
  });
});
