// Issue 8, items 6 and 7: the secret reached error.message when a server or proxy echoed the form
// body with lowercase percent-escapes, and secrets shorter than 6 characters were not masked in
// transport errors, events and cause. Each test fails on the code before the fix.
import { inspect } from "node:util";
import { FetchHttpTransport, type HttpRequest, type HttpTransport } from "@credchain/core";
import { describe, expect, it } from "vitest";
import { ClientSecretCredential } from "../src/index.js";
import {
  errorText,
  GRAPH,
  reachableText,
  recordEvents,
  rejectionOf,
  type RecordedEvent,
  withTransport,
} from "./fixtures.js";
import { startRecordingServer } from "./recordingServer.js";

const lowerEscapes = (text: string): string =>
  text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());

/** Every spelling of `secret` that a test below makes a server or transport echo. */
function spellings(secret: string): string[] {
  const upper = new URLSearchParams({ s: secret }).toString().slice(2);
  const lower = lowerEscapes(upper);
  const mixed = upper.replace(
    /%([0-9A-F])([0-9A-F])/g,
    (_all, a: string, b: string) => `%${a.toLowerCase()}${b}`,
  );
  return [
    ...new Set([
      secret,
      upper,
      lower,
      mixed,
      encodeURIComponent(secret),
      lowerEscapes(encodeURIComponent(secret)),
    ]),
  ];
}

/** Everything a user could see of an error and the events around it. */
function observable(error: unknown, events: readonly RecordedEvent[]): string {
  return [
    errorText(error),
    inspect(error, { depth: Infinity, showHidden: true }),
    ...events.map(
      (event) => reachableText(event.payload) + inspect(event.payload, { depth: Infinity }),
    ),
  ].join("\n");
}

/**
 * Sends to the real server, then fails with the error `fail` builds from what was sent: a
 * logging middleware or proxy that quotes the request it could not complete. The credential's
 * error and events, collected.
 */
async function failingAfterSend(
  secret: string,
  fail: (request: HttpRequest) => Error,
): Promise<{ error: Error & Record<string, unknown>; text: string; events: RecordedEvent[] }> {
  await using server = await startRecordingServer();
  const fetchTransport = new FetchHttpTransport();
  const transport: HttpTransport = {
    send: async (request) => {
      await fetchTransport.send(request);
      throw fail(request);
    },
  };
  const credential = new ClientSecretCredential("tenant", "client", secret, {
    authority: server.url,
    container: withTransport(transport),
    retryOptions: { maxRetries: 0 },
  });
  const { events, stop } = recordEvents(credential.events);
  const error = await rejectionOf(credential.getToken(GRAPH));
  stop();
  expect(server.requests).toHaveLength(1);
  return { error, events, text: observable(error, events) };
}

describe("every encoding of the secret is masked (issue 8, item 6)", () => {
  const secret = "Ab/cD+e=f~g h&i%j";

  it("the secret does not reach error.message when the server echoes the form body with lowercase percent-escapes", async () => {
    await using server = await startRecordingServer((request) => ({
      status: 400,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        error: "invalid_request",
        error_description: `AADSTS900144: echo ${lowerEscapes(request.body)}`,
        error_codes: [900144],
      }),
    }));
    const credential = new ClientSecretCredential("tenant", "client", secret, {
      authority: server.url,
    });
    const { events, stop } = recordEvents(credential.events);
    const error = await rejectionOf(credential.getToken(GRAPH));
    stop();
    expect(server.requests[0]?.body).toMatch(/%2F/); // the wire really is upper case
    expect(error.message).toMatch(/client_secret=\[REDACTED\]/);
    const text = observable(error, events);
    for (const spelling of spellings(secret)) expect(text).not.toContain(spelling);
  });

  it("masks a secret echoed with mixed-case escapes, '+' for its space, or JSON-escaped, in message and cause", async () => {
    const mixed = spellings(secret)[3] ?? "";
    await using server = await startRecordingServer(() => ({
      status: 401,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        error: "invalid_client",
        error_description: `AADSTS7000215: got ${mixed} and ${lowerEscapes(encodeURIComponent(secret))}`,
        debug: { raw: secret, json: JSON.stringify(secret) },
      }),
    }));
    const credential = new ClientSecretCredential("tenant", "client", secret, {
      authority: server.url,
    });
    const error = await rejectionOf(credential.getToken(GRAPH));
    expect(error.message).toContain("got [REDACTED] and [REDACTED]");
    const text = errorText(error) + JSON.stringify(error.cause);
    for (const spelling of spellings(secret)) expect(text).not.toContain(spelling);
    expect(JSON.stringify(error.cause)).not.toContain(JSON.stringify(secret).slice(1, -1));
  });

  it("masks the secret in a transport error that quotes the form body with lowercase escapes", async () => {
    // A logging middleware that re-encodes what it failed to send, as some proxies do.
    const { error, text } = await failingAfterSend(secret, (request) =>
      Object.assign(new Error(`upstream reset while sending ${lowerEscapes(request.body ?? "")}`), {
        code: "ECONNRESET",
      }),
    );
    expect((error.cause as { code?: string }).code).toBe("ECONNRESET");
    for (const spelling of spellings(secret)) expect(text).not.toContain(spelling);
  });
});

describe("short secrets are masked too (issue 8, item 7)", () => {
  const secret = "pw1~"; // shorter than 6 characters

  it("secrets shorter than 6 characters are masked in transport errors, events and cause", async () => {
    const { error, events, text } = await failingAfterSend(secret, (request) => {
      const sent = new URLSearchParams(request.body).get("client_secret") ?? "";
      return Object.assign(
        new Error(
          `proxy refused client_secret ${sent} (${new URLSearchParams({ s: sent }).toString()})`,
        ),
        { code: "ECONNREFUSED", cause: new Error(`inner: ${sent}`) },
      );
    });
    expect(events.some((event) => event.name === "http:response")).toBe(true);
    expect(events.some((event) => event.name === "token:error")).toBe(true);
    const cause = error.cause as Error & { cause?: Error };
    expect(cause.message).toBe("proxy refused client_secret [REDACTED] (s=[REDACTED])");
    expect(cause.cause?.message).toBe("inner: [REDACTED]");
    for (const spelling of spellings(secret)) expect(text).not.toContain(spelling);
  });

  it("a short secret echoed by the server is masked in message and cause", async () => {
    await using server = await startRecordingServer((request) => ({
      status: 401,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ error: "invalid_client", error_description: `bad: ${request.body}` }),
    }));
    const credential = new ClientSecretCredential("tenant", "client", secret, {
      authority: server.url,
    });
    const error = await rejectionOf(credential.getToken(GRAPH));
    const text = errorText(error) + JSON.stringify(error.cause);
    for (const spelling of spellings(secret)) expect(text).not.toContain(spelling);
  });
});
