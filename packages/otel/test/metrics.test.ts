import { ClientSecretCredential } from "@credchain/client-secret";
import {
  credentialEvents,
  ManualClock,
  rootContainer,
  Tokens,
  type CredentialEventName,
  type TokenRefreshEvent,
} from "@credchain/core";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  startAuthority,
  type LocalAuthority,
} from "@credchain/local-authority";
import { createNoopMeter, type MeterProvider } from "@opentelemetry/api";
import { DataPointType } from "@opentelemetry/sdk-metrics";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MetricNames, otelPlugin, type OtelPlugin } from "../src/index.js";
import { MemoryPersistence } from "./support/memoryPersistence.js";
import { createTelemetry, histogramPoint, sumPoint, type Telemetry } from "./support/telemetry.js";

const SCOPE = "https://graph.microsoft.com/.default";
const TYPE = { "credchain.credential.type": "ClientSecretCredential" };
const LISTENED: CredentialEventName[] = [
  "token:cache-hit",
  "token:acquired",
  "token:error",
  "token:refresh",
];

let authority: LocalAuthority;
let telemetry: Telemetry;
let plugin: OtelPlugin;
const cleanups: Array<() => unknown> = [];

beforeAll(async () => {
  authority = await startAuthority();
});
afterAll(async () => {
  await authority.close();
});
beforeEach(() => {
  authority.resetLog();
  telemetry = createTelemetry();
  plugin = otelPlugin({ meterProvider: telemetry.meterProvider });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  plugin.shutdown();
  authority.clearFaults();
  await telemetry.shutdown();
});

function listenerCounts(): number[] {
  return LISTENED.map((event) => credentialEvents.listenerCount(event));
}

function credential(
  options: {
    secret?: string;
    setup?: (child: ReturnType<typeof rootContainer.createChildContainer>) => void;
    persistent?: boolean;
  } = {},
): ClientSecretCredential {
  const child = rootContainer.createChildContainer();
  plugin.register(child);
  options.setup?.(child);
  const created = new ClientSecretCredential(
    DEMO_TENANT_ID,
    DEMO_CLIENT_ID,
    options.secret ?? DEMO_CLIENT_SECRET,
    {
      authority: authority.url,
      container: child,
      retryOptions: { maxRetries: 0 },
      ...(options.persistent === true ? { cachePersistenceOptions: {} } : {}),
    },
  );
  cleanups.push(() => created.close());
  return created;
}

describe("metrics", () => {
  it("counts a miss and two hits and times them", async () => {
    const cred = credential();
    await cred.getToken(SCOPE);
    await cred.getToken(SCOPE);
    await cred.getToken(SCOPE);

    const lookups = await telemetry.metric(MetricNames.cacheLookups);
    expect(lookups?.dataPointType).toBe(DataPointType.SUM);
    expect(lookups?.descriptor.unit).toBe("{lookup}");
    expect(sumPoint(lookups, { ...TYPE, "credchain.cache.result": "miss" })?.value).toBe(1);
    expect(sumPoint(lookups, { ...TYPE, "credchain.cache.result": "hit" })?.value).toBe(2);
    expect(lookups?.dataPoints).toHaveLength(2);

    const duration = await telemetry.metric(MetricNames.acquisitionDuration);
    expect(duration?.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(duration?.descriptor.unit).toBe("s");
    const miss = histogramPoint(duration, { ...TYPE, "credchain.token.result": "miss" });
    const hit = histogramPoint(duration, { ...TYPE, "credchain.token.result": "hit" });
    expect(miss?.value.count).toBe(1);
    expect(miss?.value.sum).toBeGreaterThanOrEqual(0);
    expect(hit?.value).toMatchObject({ count: 2, sum: 0 });
  });

  it("records a failed request as result error with its error.type", async () => {
    const cred = credential({ secret: "wrong-secret" });
    await expect(cred.getToken(SCOPE)).rejects.toMatchObject({ name: "ClientAuthenticationError" });

    const duration = await telemetry.metric(MetricNames.acquisitionDuration);
    const error = histogramPoint(duration, {
      ...TYPE,
      "credchain.token.result": "error",
      "error.type": "ClientAuthenticationError",
    });
    expect(error?.value.count).toBe(1);
    const lookups = await telemetry.metric(MetricNames.cacheLookups);
    expect(sumPoint(lookups, { ...TYPE, "credchain.cache.result": "miss" })?.value).toBe(1);
  });

  it("counts a persistent-cache hit once, timed as persistent-hit", async () => {
    const persistence = new MemoryPersistence();
    const withPersistence = (
      child: ReturnType<typeof rootContainer.createChildContainer>,
    ): void => {
      child.register(Tokens.TokenCachePersistence, { useValue: persistence });
    };
    await credential({ setup: withPersistence, persistent: true }).getToken(SCOPE);
    // A second credential (a restarted process) finds the token in the store.
    await credential({ setup: withPersistence, persistent: true }).getToken(SCOPE);
    expect(authority.tokenRequestCount()).toBe(1);

    const lookups = await telemetry.metric(MetricNames.cacheLookups);
    expect(sumPoint(lookups, { ...TYPE, "credchain.cache.result": "miss" })?.value).toBe(1);
    expect(sumPoint(lookups, { ...TYPE, "credchain.cache.result": "persistent-hit" })?.value).toBe(
      1,
    );
    const duration = await telemetry.metric(MetricNames.acquisitionDuration);
    expect(
      histogramPoint(duration, { ...TYPE, "credchain.token.result": "persistent-hit" })?.value
        .count,
    ).toBe(1);
  });

  it("counts a failed background refresh", async () => {
    const clock = new ManualClock(Date.now());
    const cred = credential({
      setup: (child) => child.register(Tokens.Clock, { useValue: clock }),
    });
    await cred.getToken(SCOPE);
    // Inside the refresh window (5 minutes before expiry by default), still valid.
    clock.advance(3599_000 - 60_000);
    authority.setOutage(true);
    const failed = new Promise<TokenRefreshEvent>((resolve) => {
      cred.events.on("token:refresh", (event) => {
        if (event.outcome === "failed") resolve(event);
      });
    });
    await cred.getToken(SCOPE);
    await failed;
    authority.setOutage(false);

    const failures = await telemetry.metric(MetricNames.refreshFailures);
    expect(sumPoint(failures, { ...TYPE, "error.type": "ClientAuthenticationError" })?.value).toBe(
      1,
    );
    const lookups = await telemetry.metric(MetricNames.cacheLookups);
    // The call answered during the refresh is a hit.
    expect(sumPoint(lookups, { ...TYPE, "credchain.cache.result": "hit" })?.value).toBe(1);
  });

  it("listens once per plugin however many containers it is registered in, until shutdown", async () => {
    const before = listenerCounts();
    const cred = credential();
    credential();
    expect(listenerCounts()).toEqual(before.map((count) => count + 1));
    await cred.getToken(SCOPE);
    const lookups = await telemetry.metric(MetricNames.cacheLookups);
    expect(sumPoint(lookups, { ...TYPE, "credchain.cache.result": "miss" })?.value).toBe(1);

    plugin.shutdown();
    plugin.shutdown();
    expect(listenerCounts()).toEqual(before);
  });

  it("adds no listener when there is no meter provider (the API's no-op)", () => {
    const before = listenerCounts();
    const noop: MeterProvider = { getMeter: () => createNoopMeter() };
    const quiet = otelPlugin({ meterProvider: noop });
    quiet.register(rootContainer.createChildContainer());
    const global = otelPlugin();
    global.register(rootContainer.createChildContainer());
    expect(listenerCounts()).toEqual(before);
    quiet.shutdown();
    global.shutdown();
  });
});
