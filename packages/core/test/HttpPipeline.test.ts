import { afterEach, describe, expect, it } from "vitest";
import {
  CredentialEventEmitter,
  FetchHttpTransport,
  HttpPipeline,
  ManualClock,
  MAX_RESPONSE_BYTES,
  USER_AGENT,
  VERSION,
  type HttpPipelineOptions,
  type HttpRequest,
  type HttpRequestEvent,
  type HttpResponseEvent,
  type InstrumentedSpan,
  type Instrumenter,
  type SpanAttributes,
} from "../src/index.js";
import { EventSink } from "../src/events/EventSink.js";
import { testContainer } from "./support/testContainer.js";
import { TestCredential } from "./support/TestCredential.js";
import {
  startTestServer,
  statusReply,
  tokenReply,
  type Handler,
  type TestServer,
} from "./support/testServer.js";
import { flush, until } from "./support/until.js";

const PATH = "/tenant-a/oauth2/v2.0/token";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(handler: Handler, options: Partial<HttpPipelineOptions> = {}) {
  const server = await startTestServer(handler);
  servers.push(server);
  const clock = new ManualClock();
  const emitter = new CredentialEventEmitter();
  const pipeline = new HttpPipeline({
    transport: new FetchHttpTransport(),
    clock,
    events: new EventSink(emitter),
    ...options,
  });
  const request: HttpRequest = {
    method: "POST",
    url: `${server.url}${PATH}?client_secret=do-not-log`,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  };
  return { server, clock, emitter, pipeline, request };
}

/** Runs `promise` to the end, advancing the manual clock through every back-off it sleeps. */
async function drive<T>(clock: ManualClock, promise: Promise<T>): Promise<T> {
  let settled = false;
  const done = promise.finally(() => {
    settled = true;
  });
  done.catch(() => {});
  for (;;) {
    await until(() => settled || clock.pendingSleeps > 0, "the next back-off");
    if (settled) return done;
    clock.advance(60_000);
  }
}

/** Asserts the pipeline sleeps exactly `delay` ms (to the ms) before request number `next`. */
async function expectBackoff(
  server: TestServer,
  clock: ManualClock,
  delay: number,
  next: number,
): Promise<void> {
  await until(() => clock.pendingSleeps === 1, `a back-off before request ${next}`);
  clock.advance(Math.ceil(delay) - 1);
  await flush();
  expect({ pending: clock.pendingSleeps, requests: server.count }).toEqual({
    pending: 1,
    requests: next - 1,
  });
  clock.advance(1);
  await until(() => server.count === next, `request ${next}`);
}

describe("retries", () => {
  it.each([408, 429, 500, 502, 503, 504])(
    "retries %i, then returns the last answer",
    async (status) => {
      const { server, pipeline, request } = await setup(() => statusReply(status), {
        retry: { maxRetries: 3, retryDelayInMs: 0 },
      });
      await expect(pipeline.send(request)).resolves.toMatchObject({ status });
      expect(server.count).toBe(4);
    },
  );

  it.each([400, 401, 403, 404])("never retries %i", async (status) => {
    const { server, pipeline, request } = await setup(() => statusReply(status));
    await expect(pipeline.send(request)).resolves.toMatchObject({ status });
    expect(server.count).toBe(1);
  });

  it("retries 3 times by default (4 requests)", async () => {
    const { server, clock, pipeline, request } = await setup(() => statusReply(503));
    await expect(drive(clock, pipeline.send(request))).resolves.toMatchObject({ status: 503 });
    expect(server.count).toBe(4);
  });

  it("stops retrying as soon as an answer is good", async () => {
    const { server, pipeline, request } = await setup(
      (_, index) => (index < 2 ? statusReply(503) : tokenReply("t")),
      { retry: { retryDelayInMs: 0 } },
    );
    const response = await pipeline.send(request);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ access_token: "t" });
    expect(server.count).toBe(3);
  });

  it("retries a connection reset, and gives up with a ClientAuthenticationError", async () => {
    const { server, pipeline, request } = await setup(() => "reset", {
      retry: { retryDelayInMs: 0 },
    });
    const error = await pipeline.send(request).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "ClientAuthenticationError",
      message: expect.stringContaining("Could not reach the token endpoint") as unknown,
    });
    expect((error as Error).message).toContain("4 attempts");
    expect((error as Error).message).not.toContain("do-not-log");
    expect((error as Error).cause).toBeDefined();
    expect(server.count).toBe(4);
  });

  it("recovers from a connection reset", async () => {
    const { server, pipeline, request } = await setup(
      (_, index) => (index === 0 ? "reset" : tokenReply("t")),
      { retry: { retryDelayInMs: 0 } },
    );
    await expect(pipeline.send(request)).resolves.toMatchObject({ status: 200 });
    expect(server.count).toBe(2);
  });

  it("rejects negative retry settings with a RangeError", () => {
    const base = { transport: new FetchHttpTransport(), clock: new ManualClock() };
    expect(() => new HttpPipeline({ ...base, retry: { maxRetries: -1 } })).toThrow(RangeError);
    expect(() => new HttpPipeline({ ...base, retry: { retryDelayInMs: NaN } })).toThrow(RangeError);
    expect(() => new HttpPipeline({ ...base, retry: { maxRetryDelayInMs: -5 } })).toThrow(
      RangeError,
    );
  });
});

describe("back-off", () => {
  it("doubles from 200 ms with the lowest jitter (x0.8)", async () => {
    const { server, clock, pipeline, request } = await setup(() => statusReply(503), {
      random: () => 0,
    });
    const sending = pipeline.send(request);
    await expectBackoff(server, clock, 160, 2);
    await expectBackoff(server, clock, 320, 3);
    await expectBackoff(server, clock, 640, 4);
    await expect(sending).resolves.toMatchObject({ status: 503 });
    expect(clock.pendingSleeps).toBe(0);
  });

  it("doubles from 200 ms with no jitter (x1.0)", async () => {
    const { server, clock, pipeline, request } = await setup(() => statusReply(500), {
      random: () => 0.5,
    });
    const sending = pipeline.send(request);
    await expectBackoff(server, clock, 200, 2);
    await expectBackoff(server, clock, 400, 3);
    await expectBackoff(server, clock, 800, 4);
    await sending;
  });

  it("stays under x1.2 with the highest jitter", async () => {
    const { server, clock, pipeline, request } = await setup(() => statusReply(500), {
      random: () => 0.999_999_9,
    });
    const sending = pipeline.send(request);
    await expectBackoff(server, clock, 240, 2);
    await expectBackoff(server, clock, 480, 3);
    await expectBackoff(server, clock, 960, 4);
    await sending;
  });

  it("never waits longer than maxRetryDelayInMs", async () => {
    const { server, clock, pipeline, request } = await setup(() => statusReply(500), {
      random: () => 0.999_999_9,
      retry: { retryDelayInMs: 800, maxRetryDelayInMs: 1000 },
    });
    const sending = pipeline.send(request);
    await expectBackoff(server, clock, 960, 2);
    await expectBackoff(server, clock, 1000, 3);
    await expectBackoff(server, clock, 1000, 4);
    await sending;
  });
});

describe("Retry-After", () => {
  const afterOne =
    (headers: Record<string, string>): Handler =>
    (_, index) =>
      index === 0 ? statusReply(429, headers) : tokenReply("t");

  it("in seconds", async () => {
    const { server, clock, pipeline, request } = await setup(afterOne({ "retry-after": "2" }));
    const sending = pipeline.send(request);
    await expectBackoff(server, clock, 2000, 2);
    await expect(sending).resolves.toMatchObject({ status: 200 });
  });

  it("as an HTTP-date, measured against the clock", async () => {
    const clock = new ManualClock();
    const { server, pipeline, request } = await setup(
      afterOne({ "retry-after": new Date(clock.now() + 5000).toUTCString() }),
      { clock },
    );
    const sending = pipeline.send(request);
    await expectBackoff(server, clock, 5000, 2);
    await sending;
  });

  it("as retry-after-ms", async () => {
    const { server, clock, pipeline, request } = await setup(
      afterOne({ "retry-after-ms": "1500" }),
    );
    const sending = pipeline.send(request);
    await expectBackoff(server, clock, 1500, 2);
    await sending;
  });

  it("as x-ms-retry-after-ms", async () => {
    const { server, clock, pipeline, request } = await setup(
      afterOne({ "x-ms-retry-after-ms": "250" }),
    );
    const sending = pipeline.send(request);
    await expectBackoff(server, clock, 250, 2);
    await sending;
  });

  it("capped at maxRetryDelayInMs", async () => {
    const { server, clock, pipeline, request } = await setup(afterOne({ "retry-after": "3600" }));
    const sending = pipeline.send(request);
    await expectBackoff(server, clock, 60_000, 2);
    await sending;
  });

  it("capped at a custom maxRetryDelayInMs, for an HTTP-date too", async () => {
    const clock = new ManualClock();
    const { server, pipeline, request } = await setup(
      afterOne({ "retry-after": new Date(clock.now() + 3_600_000).toUTCString() }),
      { clock, retry: { maxRetryDelayInMs: 10_000 } },
    );
    const sending = pipeline.send(request);
    await expectBackoff(server, clock, 10_000, 2);
    await sending;
  });
});

describe("abort", () => {
  it("during the request: AbortError at once, and the server sees the connection close", async () => {
    const { server, pipeline, request } = await setup(() => "hold");
    const controller = new AbortController();
    const sending = pipeline.send(request, controller.signal);
    await until(() => server.count === 1, "the request");
    controller.abort();
    await expect(sending).rejects.toMatchObject({ name: "AbortError" });
    await until(() => server.abandoned === 1, "the server to see the socket close");
    expect(server.count).toBe(1);
  });

  it("during back-off: AbortError at once, no further request", async () => {
    const { server, clock, pipeline, request } = await setup(() => statusReply(503));
    const controller = new AbortController();
    const sending = pipeline.send(request, controller.signal);
    await until(() => clock.pendingSleeps === 1, "the back-off");
    controller.abort();
    await expect(sending).rejects.toMatchObject({ name: "AbortError" });
    expect(clock.pendingSleeps).toBe(0);
    clock.advance(60_000);
    await flush();
    expect(server.count).toBe(1);
  });

  it("before sending: no request at all", async () => {
    const { server, pipeline, request } = await setup(() => tokenReply("t"));
    await expect(pipeline.send(request, AbortSignal.abort())).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(server.count).toBe(0);
  });
});

describe("requestOptions.timeout through the credential", () => {
  async function credentialFor(handler: Handler) {
    const server = await startTestServer(handler);
    servers.push(server);
    const clock = new ManualClock();
    const credential = new TestCredential({
      authorityHost: server.url,
      container: testContainer({ clock }),
    });
    return { server, clock, credential };
  }

  it("a held request ends in a TimeoutError when the clock passes the timeout, and is cancelled", async () => {
    const { server, clock, credential } = await credentialFor(() => "hold");
    let outcome: unknown;
    const pending = credential
      .getToken("scope", { requestOptions: { timeout: 5000 } })
      .then(
        () => "resolved",
        (e: unknown) => e,
      )
      .then((value) => (outcome = value));
    await until(() => server.count === 1, "the request");
    clock.advance(4999);
    await flush();
    expect(outcome).toBeUndefined();
    clock.advance(1);
    await pending;
    expect(outcome).toMatchObject({ name: "TimeoutError", timeoutInMs: 5000 });
    await until(() => server.abandoned === 1, "the server to see the socket close");
    await credential.close();
  });

  it("covers the back-off between retries too", async () => {
    const { clock, credential } = await credentialFor(() => statusReply(503));
    const pending = credential.getToken("scope", { requestOptions: { timeout: 10_000 } });
    pending.catch(() => {});
    // The back-off, the call's timeout and the acquisition's own deadline (requestTimeoutInMs).
    await until(() => clock.pendingSleeps === 3, "the back-off and the timeouts");
    clock.advance(10_000);
    await expect(pending).rejects.toMatchObject({ name: "TimeoutError" });
    await credential.close();
  });

  it("rejects a nonsense timeout with a RangeError", async () => {
    const { credential } = await credentialFor(() => tokenReply("t"));
    await expect(
      credential.getToken("scope", { requestOptions: { timeout: -1 } }),
    ).rejects.toBeInstanceOf(RangeError);
    await credential.close();
  });
});

describe("response body", () => {
  const big = "x".repeat(MAX_RESPONSE_BYTES + 1);

  it("over 1 MiB with a content-length: ClientAuthenticationError, not retried", async () => {
    const { server, pipeline, request } = await setup(() => ({ status: 200, body: big }));
    const error = await pipeline.send(request).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ClientAuthenticationError" });
    expect((error as Error).cause).toMatchObject({ name: "ResponseTooLargeError" });
    expect(server.count).toBe(1);
  });

  it("over 1 MiB streamed without a content-length: ClientAuthenticationError, not retried", async () => {
    const { server, pipeline, request } = await setup(() => ({
      status: 200,
      body: big,
      chunked: true,
    }));
    await expect(pipeline.send(request)).rejects.toMatchObject({
      name: "ClientAuthenticationError",
    });
    expect(server.count).toBe(1);
    expect(server.requests[0]).toBeDefined();
  });

  it("exactly 1 MiB is accepted", async () => {
    const body = "y".repeat(MAX_RESPONSE_BYTES);
    const { pipeline, request } = await setup(() => ({ status: 200, body, chunked: true }));
    const response = await pipeline.send(request);
    expect(response.body.length).toBe(MAX_RESPONSE_BYTES);
  });

  it("returns a malformed body as it is: parsing is the credential's concern", async () => {
    const { pipeline, request } = await setup(() => ({
      status: 200,
      headers: { "content-type": "text/html" },
      body: "<html>not json",
    }));
    await expect(pipeline.send(request)).resolves.toMatchObject({
      status: 200,
      body: "<html>not json",
      headers: expect.objectContaining({ "content-type": "text/html" }) as unknown,
    });
  });
});

describe("what the server and the observers see", () => {
  it("sends User-Agent credchain/<version> node/<version>", async () => {
    const { server, pipeline, request } = await setup(() => tokenReply("t"));
    await pipeline.send(request);
    expect(USER_AGENT).toBe(`credchain/${VERSION} node/${process.versions.node}`);
    expect(server.requests[0]?.headers["user-agent"]).toBe(USER_AGENT);
    expect(server.requests[0]?.headers["user-agent"]).toMatch(
      /^credchain\/\d+\.\d+\.\d+ node\/\d+/,
    );
    expect(server.requests[0]?.body).toBe("grant_type=client_credentials");
    expect(server.requests[0]?.url).toBe(`${PATH}?client_secret=do-not-log`);
  });

  it("reports each attempt as http:request / http:response with its number and no query string", async () => {
    const { server, emitter, pipeline, request } = await setup(
      (_, index) => (index === 0 ? "reset" : index === 1 ? statusReply(503) : tokenReply("t")),
      { retry: { retryDelayInMs: 0 } },
    );
    const requests: HttpRequestEvent[] = [];
    const responses: HttpResponseEvent[] = [];
    emitter.on("http:request", (e) => requests.push(e));
    emitter.on("http:response", (e) => responses.push(e));
    await pipeline.send(request);

    const url = `${server.url}${PATH}`;
    expect(requests).toEqual([0, 1, 2].map((attempt) => ({ method: "POST", url, attempt })));
    expect(responses.map(({ attempt, status }) => ({ attempt, status }))).toEqual([
      { attempt: 0, status: undefined },
      { attempt: 1, status: 503 },
      { attempt: 2, status: 200 },
    ]);
    expect(responses[0]?.error).toBeDefined();
    // Durations come from a monotonic timer: real, positive, whatever the injected clock says.
    expect(responses.every((e) => e.url === url && e.durationInMs > 0)).toBe(true);
  });

  it("lets no part of a transport error that holds the request out: events, cause, logs", async () => {
    const secret = "s3cr3t-value-in-the-form";
    // What @azure/core-rest-pipeline's RestError does: the failed request rides on the error.
    class RequestHoldingError extends Error {
      override readonly name = "RestError";
      readonly code = "ECONNREFUSED";
      constructor(readonly request: HttpRequest) {
        super(`connect ECONNREFUSED while sending ${request.body}`);
      }
    }
    const logged: unknown[] = [];
    const log = (...args: unknown[]) => logged.push(args);
    const emitter = new CredentialEventEmitter();
    const pipeline = new HttpPipeline({
      transport: {
        send: (request) => Promise.reject(new RequestHoldingError(request)),
      },
      clock: new ManualClock(),
      events: new EventSink(emitter),
      logger: { debug: log, info: log, warn: log, error: log },
      retry: { maxRetries: 1, retryDelayInMs: 0 },
    });
    const events: unknown[] = [];
    emitter.on("http:response", (e) => events.push(e));
    const error = await pipeline
      .send({
        method: "POST",
        url: "https://login.example/t/oauth2/v2.0/token",
        headers: {},
        body: `client_id=app&client_secret=${secret}&grant_type=client_credentials`,
      })
      .then(
        () => expect.fail("the pipeline should have thrown"),
        (e: unknown) => e as Error & { cause: Error & { code?: string } },
      );
    expect(error).toMatchObject({ name: "ClientAuthenticationError" });
    expect(error.cause).toMatchObject({ name: "RestError", code: "ECONNREFUSED" });
    expect(error.cause).not.toHaveProperty("request");
    const seen = JSON.stringify([
      error.message,
      error.cause.message,
      error.cause.stack,
      events,
      logged,
    ]);
    expect(seen).toContain("ECONNREFUSED");
    expect(seen).not.toContain(secret);
    expect(events).toHaveLength(2);
  });

  it("gives spans url.full without the query string", async () => {
    const spans: { name: string; attributes: SpanAttributes }[] = [];
    const instrumenter: Instrumenter = {
      startSpan(name, options) {
        const span = { name, attributes: { ...options.attributes } };
        spans.push(span);
        const handle: InstrumentedSpan = {
          setAttribute: (key, value) => {
            span.attributes[key] = value;
          },
          recordFailure: () => {},
          end: () => {},
        };
        return handle;
      },
      withSpan: (_span, fn) => fn(),
    };
    const { server, pipeline, request } = await setup(
      (_, index) => (index === 0 ? statusReply(500) : tokenReply("t")),
      { instrumenter, retry: { retryDelayInMs: 0 } },
    );
    await pipeline.send(request);
    expect(spans).toHaveLength(2);
    expect(spans[0]?.attributes).toMatchObject({
      "http.request.method": "POST",
      "url.full": `${server.url}${PATH}`,
      "http.response.status_code": 500,
      "error.type": "500",
    });
    expect(spans[1]?.attributes).toMatchObject({
      "http.request.resend_count": 1,
      "http.response.status_code": 200,
    });
    expect(JSON.stringify(spans)).not.toContain("do-not-log");
  });
});
