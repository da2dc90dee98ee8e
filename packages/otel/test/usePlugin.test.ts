import { ClientSecretCredential } from "@credchain/client-secret";
import {
  ChainedTokenCredential,
  CredentialUnavailableError,
  rootContainer,
  usePlugin,
  type TokenCredential,
} from "@credchain/core";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  startAuthority,
  type LocalAuthority,
} from "@credchain/local-authority";
import { metrics, ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MetricNames, otelPlugin } from "../src/index.js";
import { OtelInstrumenter } from "../src/OtelInstrumenter.js";
import { createTelemetry, sumPoint, useAsyncContext, type Telemetry } from "./support/telemetry.js";

const SCOPE = "https://vault.azure.net/.default";

type DependencyContainer = ReturnType<typeof rootContainer.createChildContainer>;

let authority: LocalAuthority;
let disableContext: () => void;
let telemetry: Telemetry | undefined;

beforeAll(async () => {
  disableContext = useAsyncContext();
  authority = await startAuthority();
});
afterAll(async () => {
  await authority.close();
  disableContext();
});
afterEach(async () => {
  trace.disable();
  metrics.disable();
  await telemetry?.shutdown();
  telemetry = undefined;
});

function clientSecretCredential(container?: DependencyContainer): ClientSecretCredential {
  return new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
    authority: authority.url,
    ...(container === undefined ? {} : { container }),
  });
}

class UnavailableCredential implements TokenCredential {
  getToken(): Promise<null> {
    return Promise.reject(new CredentialUnavailableError("not configured here"));
  }
}

describe("usePlugin(otelPlugin()) with the global SDK", () => {
  it("traces a chain: chain span, a span per link, the credential and its HTTP attempt", async () => {
    telemetry = createTelemetry();
    trace.setGlobalTracerProvider(telemetry.tracerProvider);
    metrics.setGlobalMeterProvider(telemetry.meterProvider);
    const plugin = otelPlugin();
    const undo = usePlugin(plugin);
    const credential = clientSecretCredential();
    const chain = new ChainedTokenCredential(new UnavailableCredential(), credential);
    try {
      await chain.getToken(SCOPE);
    } finally {
      undo();
      plugin.shutdown();
      await chain.close();
    }

    const chainSpan = telemetry.span("ChainedTokenCredential.getToken");
    const links = telemetry.spansNamed("ChainedTokenCredential.link");
    const getToken = telemetry.span("ClientSecretCredential.getToken");
    const http = telemetry.span("POST");
    expect(links.map((link) => link.attributes)).toEqual([
      {
        "credchain.chain.link.index": 0,
        "credchain.chain.link.type": "UnavailableCredential",
        "credchain.chain.link.outcome": "unavailable",
      },
      {
        "credchain.chain.link.index": 1,
        "credchain.chain.link.type": "ClientSecretCredential",
        "credchain.chain.link.outcome": "success",
      },
    ]);
    for (const link of links) {
      expect(link.parentSpanContext?.spanId).toBe(chainSpan.spanContext().spanId);
    }
    expect(getToken.parentSpanContext?.spanId).toBe(links[1]!.spanContext().spanId);
    expect(http.parentSpanContext?.spanId).toBe(getToken.spanContext().spanId);

    const lookups = await telemetry.metric(MetricNames.cacheLookups);
    expect(
      sumPoint(lookups, {
        "credchain.credential.type": "ClientSecretCredential",
        "credchain.cache.result": "miss",
      })?.value,
    ).toBe(1);
  });

  it("nests a link's getToken under its link span when the caller passes a tracingContext", async () => {
    telemetry = createTelemetry();
    trace.setGlobalTracerProvider(telemetry.tracerProvider);
    const plugin = otelPlugin();
    const undo = usePlugin(plugin);
    const credential = clientSecretCredential();
    const chain = new ChainedTokenCredential(credential);
    // What an Azure SDK client does: its own span, handed over as tracingContext.
    const caller = telemetry.tracerProvider.getTracer("sdk-client").startSpan("client.operation");
    try {
      await chain.getToken(SCOPE, {
        tracingOptions: { tracingContext: trace.setSpan(ROOT_CONTEXT, caller) },
      });
    } finally {
      caller.end();
      undo();
      plugin.shutdown();
      await chain.close();
    }
    const chainSpan = telemetry.span("ChainedTokenCredential.getToken");
    const [link] = telemetry.spansNamed("ChainedTokenCredential.link");
    const getToken = telemetry.span("ClientSecretCredential.getToken");
    expect(chainSpan.parentSpanContext?.spanId).toBe(caller.spanContext().spanId);
    expect(getToken.parentSpanContext?.spanId).toBe(link!.spanContext().spanId);
  });

  it("leaves credentials created after the undo untraced", async () => {
    telemetry = createTelemetry();
    trace.setGlobalTracerProvider(telemetry.tracerProvider);
    const plugin = otelPlugin();
    usePlugin(plugin)();
    // Not shut down until the end: a stopped instrumenter traces nothing, whether or not the
    // undo removed its registration, and the test would prove nothing.
    const credential = clientSecretCredential();
    try {
      await credential.getToken(SCOPE);
      expect(telemetry.spans()).toEqual([]);
      // The plugin itself still traces a credential it is registered for.
      const child = rootContainer.createChildContainer();
      plugin.register(child);
      const registered = clientSecretCredential(child);
      await registered.getToken(SCOPE);
      await registered.close();
      expect(telemetry.spans().map((span) => span.name)).toEqual([
        "POST",
        "ClientSecretCredential.getToken",
      ]);
    } finally {
      plugin.shutdown();
      await credential.close();
    }
  });

  it("picks up an SDK registered after the plugin, and one after trace.disable() on re-registration", async () => {
    const plugin = otelPlugin();
    let undo = usePlugin(plugin);
    const credential = clientSecretCredential();
    try {
      // No SDK yet: the credential's span hook says "not traced".
      const instrumenter = new OtelInstrumenter(undefined);
      expect(instrumenter.isEnabled()).toBe(false);
      expect(instrumenter.startSpan("x", { kind: "internal" })).toBeUndefined();
      await credential.getToken(SCOPE);

      const first = createTelemetry();
      trace.setGlobalTracerProvider(first.tracerProvider);
      expect(instrumenter.isEnabled()).toBe(true);
      await credential.getToken(SCOPE);
      expect(first.spans().map((span) => span.name)).toEqual(["ClientSecretCredential.getToken"]);

      // trace.disable() makes a new global proxy: registering the plugin again follows it.
      trace.disable();
      telemetry = createTelemetry();
      trace.setGlobalTracerProvider(telemetry.tracerProvider);
      undo();
      undo = usePlugin(plugin);
      await credential.getToken(SCOPE);
      expect(telemetry.spans().map((span) => span.name)).toEqual([
        "ClientSecretCredential.getToken",
      ]);
      expect(first.spans()).toHaveLength(1);
      await first.shutdown();

      instrumenter.stop();
      expect(instrumenter.isEnabled()).toBe(false);
    } finally {
      undo();
      plugin.shutdown();
      await credential.close();
    }
  });
});
