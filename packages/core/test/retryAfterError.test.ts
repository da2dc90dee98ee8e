import { afterEach, describe, expect, it } from "vitest";
import {
  clientSecretAuthentication,
  EntraClientCredential,
  type CredentialOptions,
} from "../src/credential.js";
import { ClientAuthenticationError } from "../src/index.js";
import { ManualClock } from "../src/testing.js";
import { testContainer } from "./support/testContainer.js";
import { startTestServer, statusReply, type Reply, type TestServer } from "./support/testServer.js";

const GRAPH = "https://graph.microsoft.com/.default";

class SecretCredential extends EntraClientCredential {
  constructor(options?: CredentialOptions) {
    super("SecretCredential", "tenant", "client-id", clientSecretAuthentication("s3cret"), options);
  }
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function failure(reply: Reply, options: CredentialOptions = {}): Promise<unknown> {
  server = await startTestServer(() => reply);
  const credential = new SecretCredential({ authority: server.url, ...options });
  try {
    return await credential.getToken(GRAPH).then(
      () => undefined,
      (error: unknown) => error,
    );
  } finally {
    await credential.close();
  }
}

describe("ClientAuthenticationError.retryAfterInMs: the server's Retry-After on the final answer", () => {
  it("a 429 with Retry-After: 42 after retries are exhausted carries 42,000 ms", async () => {
    // Retry waits are capped at 1 ms, so the retries run out at once; the server's ask stays 42 s.
    const error = await failure(statusReply(429, { "Retry-After": "42" }), {
      retryOptions: { maxRetries: 2, maxRetryDelayInMs: 1 },
    });
    expect(error).toBeInstanceOf(ClientAuthenticationError);
    expect(error).toMatchObject({ statusCode: 429, retryAfterInMs: 42_000 });
    expect(server?.count).toBe(3);
  });

  it("an HTTP-date is measured against the injected clock", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
    const error = await failure(
      statusReply(503, { "Retry-After": new Date(Date.UTC(2026, 0, 1, 12, 1, 30)).toUTCString() }),
      { retryOptions: { maxRetries: 0 }, container: testContainer({ clock }) },
    );
    expect(error).toMatchObject({ statusCode: 503, retryAfterInMs: 90_000 });
  });

  it("retry-after-ms wins over Retry-After, as in the pipeline", async () => {
    const error = await failure(
      statusReply(429, { "retry-after-ms": "1500", "Retry-After": "42" }),
      { retryOptions: { maxRetries: 0 } },
    );
    expect(error).toMatchObject({ statusCode: 429, retryAfterInMs: 1500 });
  });

  it("a non-JSON 429 from a gateway carries it too", async () => {
    const error = await failure(
      {
        status: 429,
        headers: { "retry-after": "7", "content-type": "text/plain" },
        body: "slow down",
      },
      { retryOptions: { maxRetries: 0 } },
    );
    expect(error).toMatchObject({ statusCode: 429, retryAfterInMs: 7000 });
  });

  it("no Retry-After, no field", async () => {
    const error = await failure(statusReply(429), { retryOptions: { maxRetries: 0 } });
    expect(error).toMatchObject({ statusCode: 429 });
    expect((error as ClientAuthenticationError).retryAfterInMs).toBeUndefined();
  });
});
