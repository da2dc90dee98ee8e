import { ClientSecretCredential } from "@credchain/client-secret";
import {
  FetchHttpTransport,
  rootContainer,
  Tokens,
  type GetTokenOptions,
  type HttpTransport,
} from "@credchain/core";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  startAuthority,
  type LocalAuthority,
} from "@credchain/local-authority";
import { context, ROOT_CONTEXT, trace } from "@opentelemetry/api";
import {
  isTracingSuppressed as coreIsTracingSuppressed,
  suppressTracing as coreSuppressTracing,
} from "@opentelemetry/core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { otelPlugin, type OtelPlugin } from "../src/index.js";
import { resolveOtelPluginOptions } from "../src/OtelPluginOptions.js";
import { isTracingSuppressed, suppressTracing } from "../src/tracingSuppression.js";
import { createTelemetry, sumPoint, useAsyncContext, type Telemetry } from "./support/telemetry.js";

const SCOPE = "https://storage.azure.com/.default";

let authority: LocalAuthority;
let disableContext: () => void;
let telemetry: Telemetry;
const cleanups: Array<() => unknown> = [];

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
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await telemetry.shutdown();
});

/**
 * A credential with the plugin in its own child container, and a transport that starts a span
 * of its own, as an auto-instrumented fetch would.
 */
function setup(plugin: OtelPlugin = otelPlugin({ tracerProvider: telemetry.tracerProvider })): {
  credential: ClientSecretCredential;
  plugin: OtelPlugin;
} {
  const child = rootContainer.createChildContainer();
  plugin.register(child);
  const fetchTransport = new FetchHttpTransport();
  const tracer = telemetry.tracerProvider.getTracer("auto-instrumentation");
  const transport: HttpTransport = {
    async send(request) {
      const span = tracer.startSpan("fetch");
      try {
        return await fetchTransport.send(request);
      } finally {
        span.end();
      }
    },
  };
  child.register(Tokens.HttpTransport, { useValue: transport });
  const credential = new ClientSecretCredential(
    DEMO_TENANT_ID,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    {
      authority: authority.url,
      container: child,
    },
  );
  cleanups.push(
    () => credential.close(),
    () => plugin.shutdown(),
  );
  return { credential, plugin };
}

describe("suppression", () => {
  it("uses the very key @opentelemetry/core's suppressTracing sets, both ways", () => {
    expect(isTracingSuppressed(coreSuppressTracing(ROOT_CONTEXT))).toBe(true);
    expect(coreIsTracingSuppressed(suppressTracing(ROOT_CONTEXT))).toBe(true);
    expect(isTracingSuppressed(ROOT_CONTEXT)).toBe(false);
  });

  it("traces nothing for a call with tracingOptions.enabled false, nested instrumentation included", async () => {
    const { credential } = setup();
    const options: GetTokenOptions = { tracingOptions: { enabled: false } };
    const tracer = telemetry.tracerProvider.getTracer("app");
    await tracer.startActiveSpan("caller", async (span) => {
      await credential.getToken(SCOPE, options);
      span.end();
    });
    expect(telemetry.spans().map((s) => s.name)).toEqual(["caller"]);

    // The next call, without the option, is traced as usual.
    await credential.getToken(SCOPE, { claims: '{"access_token":{}}' });
    expect(
      telemetry
        .spans()
        .map((s) => s.name)
        .sort(),
    ).toEqual(["ClientSecretCredential.getToken", "POST", "caller", "fetch"].sort());
  });

  it("traces nothing inside a context suppressed with @opentelemetry/core's suppressTracing", async () => {
    const { credential } = setup();
    await context.with(coreSuppressTracing(context.active()), () => credential.getToken(SCOPE));
    expect(telemetry.spans()).toEqual([]);
  });

  it("traces nothing when the tracingContext given is suppressed", async () => {
    const { credential } = setup();
    await credential.getToken(SCOPE, {
      tracingOptions: { tracingContext: coreSuppressTracing(ROOT_CONTEXT) },
    });
    expect(telemetry.spans()).toEqual([]);
  });

  it("traces nothing in a suppressed context even when given an unsuppressed tracingContext", async () => {
    // An exporter authenticating with a credchain credential: its export runs suppressed.
    const { credential } = setup();
    const azureClientSpan = telemetry.tracerProvider.getTracer("app").startSpan("client");
    const tracingContext = trace.setSpan(ROOT_CONTEXT, azureClientSpan);
    await context.with(coreSuppressTracing(context.active()), () =>
      credential.getToken(SCOPE, { tracingOptions: { tracingContext } }),
    );
    azureClientSpan.end();
    expect(telemetry.spans().map((s) => s.name)).toEqual(["client"]);
  });

  it("registers no instrumenter with CREDCHAIN_TRACING_DISABLED=true, and keeps metrics", async () => {
    const previous = process.env.CREDCHAIN_TRACING_DISABLED;
    process.env.CREDCHAIN_TRACING_DISABLED = "true";
    let plugin: OtelPlugin;
    try {
      plugin = otelPlugin({
        tracerProvider: telemetry.tracerProvider,
        meterProvider: telemetry.meterProvider,
      });
    } finally {
      if (previous === undefined) delete process.env.CREDCHAIN_TRACING_DISABLED;
      else process.env.CREDCHAIN_TRACING_DISABLED = previous;
    }
    const child = rootContainer.createChildContainer();
    plugin.register(child);
    expect(child.isRegistered(Tokens.Instrumenter, false)).toBe(false);

    const { credential } = setup(plugin);
    await credential.getToken(SCOPE);
    expect(telemetry.spans().map((s) => s.name)).toEqual(["fetch"]);
    const lookups = await telemetry.metric("credchain.token.cache.lookups");
    expect(
      sumPoint(lookups, {
        "credchain.credential.type": "ClientSecretCredential",
        "credchain.cache.result": "miss",
      })?.value,
    ).toBe(1);
  });

  it("reads CREDCHAIN_TRACING_DISABLED as true/1 (any case), anything else leaves tracing on", () => {
    const disabled = (value: string | undefined): boolean =>
      resolveOtelPluginOptions({}, value === undefined ? {} : { CREDCHAIN_TRACING_DISABLED: value })
        .tracingDisabled;
    expect(disabled("true")).toBe(true);
    expect(disabled(" TRUE ")).toBe(true);
    expect(disabled("1")).toBe(true);
    expect(disabled("false")).toBe(false);
    expect(disabled("0")).toBe(false);
    expect(disabled("")).toBe(false);
    expect(disabled(undefined)).toBe(false);
  });
});
