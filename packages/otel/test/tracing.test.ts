import { readFileSync } from "node:fs";
import { ClientSecretCredential } from "@credchain/client-secret";
import { rootContainer, type GetTokenOptions } from "@credchain/core";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  startAuthority,
  type LocalAuthority,
} from "@credchain/local-authority";
import {
  context,
  INVALID_SPAN_CONTEXT,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Tracer,
  type TracerProvider,
} from "@opentelemetry/api";
import {
  AlwaysOnSampler,
  ParentBasedSampler,
  SamplingDecision,
  type Sampler,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { otelPlugin, type OtelPlugin } from "../src/index.js";
import { OtelInstrumenter } from "../src/OtelInstrumenter.js";
import { createTelemetry, useAsyncContext, type Telemetry } from "./support/telemetry.js";

const SCOPE = "https://vault.azure.net/.default";
const { version } = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
) as { version: string };

let authority: LocalAuthority;
let disableContext: () => void;
let telemetry: Telemetry;
let plugin: OtelPlugin;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  disableContext = useAsyncContext();
  authority = await startAuthority();
});
afterAll(async () => {
  await authority.close();
  disableContext();
});
beforeEach(() => {
  telemetry = createTelemetry();
  plugin = otelPlugin({
    tracerProvider: telemetry.tracerProvider,
    meterProvider: telemetry.meterProvider,
  });
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  plugin.shutdown();
  authority.clearFaults();
  await telemetry.shutdown();
});

/** A credential whose plugin registration lives in its own child container. */
function credential(
  options: { secret?: string; p?: OtelPlugin; retryDelayInMs?: number } = {},
): ClientSecretCredential {
  const child = rootContainer.createChildContainer();
  (options.p ?? plugin).register(child);
  const created = new ClientSecretCredential(
    DEMO_TENANT_ID,
    DEMO_CLIENT_ID,
    options.secret ?? DEMO_CLIENT_SECRET,
    {
      authority: authority.url,
      container: child,
      retryOptions: { retryDelayInMs: options.retryDelayInMs ?? 1, maxRetryDelayInMs: 5 },
    },
  );
  closers.push(() => created.close());
  return created;
}

describe("spans", () => {
  it("nests the HTTP attempt under getToken under the caller's span, for a miss then a hit", async () => {
    const cred = credential();
    const caller = telemetry.tracerProvider.getTracer("app");
    await caller.startActiveSpan("handle request", async (span) => {
      await cred.getToken(SCOPE);
      await cred.getToken(SCOPE);
      span.end();
    });

    const root = telemetry.span("handle request");
    const [miss, hit] = telemetry.spansNamed("ClientSecretCredential.getToken");
    const http = telemetry.span("POST");
    expect(miss).toBeDefined();
    expect(hit).toBeDefined();
    expect(miss!.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(hit!.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(http.parentSpanContext?.spanId).toBe(miss!.spanContext().spanId);
    const traceIds = new Set([root, miss!, hit!, http].map((s) => s.spanContext().traceId));
    expect(traceIds.size).toBe(1);

    expect(miss!.kind).toBe(SpanKind.INTERNAL);
    expect(http.kind).toBe(SpanKind.CLIENT);
    expect(miss!.instrumentationScope).toMatchObject({ name: "@credchain/otel", version });
    expect(miss!.attributes).toEqual({
      "credchain.credential.type": "ClientSecretCredential",
      "credchain.tenant.id": DEMO_TENANT_ID,
      "credchain.scopes": [SCOPE],
      "credchain.cae": false,
      "credchain.claims.present": false,
      "credchain.cache.result": "miss",
    });
    expect(hit!.attributes["credchain.cache.result"]).toBe("hit");
    expect(miss!.status.code).toBe(SpanStatusCode.UNSET);
    expect(http.attributes).toEqual({
      "http.request.method": "POST",
      "server.address": "127.0.0.1",
      "server.port": authority.port,
      "url.full": authority.tokenEndpoint(DEMO_TENANT_ID),
      "http.response.status_code": 200,
    });
  });

  it("names the span after the method: getTokenInfo", async () => {
    await credential().getTokenInfo(SCOPE);
    expect(telemetry.span("ClientSecretCredential.getTokenInfo").attributes).toMatchObject({
      "credchain.cache.result": "miss",
    });
  });

  it("uses tracingOptions.tracingContext as the parent, over the active span", async () => {
    const cred = credential();
    const tracer = telemetry.tracerProvider.getTracer("app");
    const azureClientSpan = tracer.startSpan("KeyVault.getSecret");
    const tracingContext: Context = trace.setSpan(ROOT_CONTEXT, azureClientSpan);
    await tracer.startActiveSpan("unrelated active span", async (active) => {
      await cred.getToken(SCOPE, { tracingOptions: { tracingContext } });
      active.end();
    });
    azureClientSpan.end();

    const getToken = telemetry.span("ClientSecretCredential.getToken");
    expect(getToken.parentSpanContext?.spanId).toBe(azureClientSpan.spanContext().spanId);
    expect(telemetry.span("POST").parentSpanContext?.spanId).toBe(getToken.spanContext().spanId);
  });

  it("ignores a tracingContext that is not an OpenTelemetry context", async () => {
    const options = {
      tracingOptions: { tracingContext: { not: "a context" } },
    } as unknown as GetTokenOptions;
    await credential().getToken(SCOPE, options);
    expect(telemetry.span("ClientSecretCredential.getToken").parentSpanContext).toBeUndefined();
  });

  it("is a root span with no caller span, and the active context is restored afterwards", async () => {
    await credential().getToken(SCOPE);
    expect(telemetry.span("ClientSecretCredential.getToken").parentSpanContext).toBeUndefined();
    expect(trace.getSpan(context.active())).toBeUndefined();
  });

  it("marks a failed request ERROR with only the error's name and message", async () => {
    const cred = credential({ secret: "not-the-secret" });
    const error = await cred.getToken(SCOPE).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.name).toBe("ClientAuthenticationError");

    const span = telemetry.span("ClientSecretCredential.getToken");
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: error!.message });
    expect(span.attributes["error.type"]).toBe("ClientAuthenticationError");
    expect(span.attributes["credchain.cache.result"]).toBe("error");
    expect(span.events).toHaveLength(1);
    expect(span.events[0]!.name).toBe("exception");
    expect(span.events[0]!.attributes).toEqual({
      "exception.type": "ClientAuthenticationError",
      "exception.message": error!.message,
    });

    const http = telemetry.span("POST");
    expect(http.attributes["http.response.status_code"]).toBe(401);
    expect(http.attributes["error.type"]).toBe("401");
  });

  it("records one CLIENT span per attempt, with http.request.resend_count on retries", async () => {
    authority.enqueueFaults([{ kind: "status", status: 503 }]);
    await credential().getToken(SCOPE);

    const attempts = telemetry.spansNamed("POST");
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.attributes["http.response.status_code"]).toBe(503);
    expect(attempts[0]!.attributes["error.type"]).toBe("503");
    expect(attempts[0]!.attributes["http.request.resend_count"]).toBeUndefined();
    expect(attempts[1]!.attributes["http.response.status_code"]).toBe(200);
    expect(attempts[1]!.attributes["http.request.resend_count"]).toBe(1);
    const getToken = telemetry.span("ClientSecretCredential.getToken");
    for (const attempt of attempts) {
      expect(attempt.parentSpanContext?.spanId).toBe(getToken.spanContext().spanId);
    }
  });

  it("records a network failure on the attempt span", async () => {
    authority.enqueueFaults([{ kind: "reset" }]);
    await credential().getToken(SCOPE);
    const [failed, succeeded] = telemetry.spansNamed("POST");
    expect(failed!.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed!.attributes["error.type"]).toEqual(expect.any(String));
    expect(failed!.attributes["http.response.status_code"]).toBeUndefined();
    expect(succeeded!.attributes["http.response.status_code"]).toBe(200);
  });

  it("says when a claims challenge or CAE was requested, never the claims", async () => {
    const claims = JSON.stringify({
      access_token: { nbf: { essential: true, value: "1700000000" } },
    });
    await credential().getToken(SCOPE, { claims, enableCae: true });
    const span = telemetry.span("ClientSecretCredential.getToken");
    expect(span.attributes["credchain.claims.present"]).toBe(true);
    expect(span.attributes["credchain.cae"]).toBe(true);
    expect(JSON.stringify(span.attributes)).not.toContain("1700000000");
  });

  it("stops tracing, also for existing credentials, after shutdown()", async () => {
    const cred = credential();
    await cred.getToken(SCOPE);
    plugin.shutdown();
    await cred.getToken(SCOPE);
    expect(telemetry.spansNamed("ClientSecretCredential.getToken")).toHaveLength(1);
  });

  it("keeps the HTTP attempts of an unsampled getToken unsampled instead of making them roots", async () => {
    // Samples every root except credchain's getToken span.
    const dropGetToken: Sampler = {
      shouldSample: (_context, _traceId, name) => ({
        decision: name.endsWith(".getToken")
          ? SamplingDecision.NOT_RECORD
          : new AlwaysOnSampler().shouldSample().decision,
      }),
      toString: () => "dropGetToken",
    };
    const sampled = createTelemetry({ sampler: new ParentBasedSampler({ root: dropGetToken }) });
    const p = otelPlugin({ tracerProvider: sampled.tracerProvider });
    try {
      const token = await credential({ p }).getToken(SCOPE);
      expect(token.token).not.toBe("");
      expect(sampled.spans()).toEqual([]);
    } finally {
      p.shutdown();
      await sampled.shutdown();
    }
  });

  it("ends the span it started when the tracer's span has nothing to continue", () => {
    // A tracer (a no-op, or another API copy's) whose spans record nothing and have no context:
    // credchain is told "not traced" and never sees the span, so the plugin must end it.
    let ended = 0;
    const tracer = {
      startSpan: () => {
        const span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
        span.end = () => {
          ended++;
        };
        return span;
      },
    } as unknown as Tracer;
    const provider: TracerProvider = { getTracer: () => tracer };
    expect(new OtelInstrumenter(provider).startSpan("x", { kind: "internal" })).toBeUndefined();
    expect(ended).toBe(1);
  });
});
