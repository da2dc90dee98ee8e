import { ClientSecretCredential } from "@credchain/client-secret";
import { ManualClock, rootContainer, Tokens, type TokenRefreshEvent } from "@credchain/core";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  startAuthority,
  type LocalAuthority,
} from "@credchain/local-authority";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { otelPlugin } from "../src/index.js";
import { createTelemetry, exportedForm, useAsyncContext } from "./support/telemetry.js";

const WRONG_SECRET = "wrong-secret-Zx9!q~w";
const CLAIMS_MARKER = "claims-content-7f3a9c";

let authority: LocalAuthority;
let disableContext: () => void;

beforeAll(async () => {
  disableContext = useAsyncContext();
  authority = await startAuthority();
});
afterAll(async () => {
  await authority.close();
  disableContext();
});

describe("secrets", () => {
  it("never exports a token, the client secret or claims content in any span or metric", async () => {
    const telemetry = createTelemetry();
    const plugin = otelPlugin({
      tracerProvider: telemetry.tracerProvider,
      meterProvider: telemetry.meterProvider,
    });
    const clock = new ManualClock(Date.now());
    const child = rootContainer.createChildContainer();
    plugin.register(child);
    child.register(Tokens.Clock, { useValue: clock });
    const options = {
      authority: authority.url,
      container: child,
      retryOptions: { maxRetries: 1, retryDelayInMs: 0 },
    };
    const good = new ClientSecretCredential(
      DEMO_TENANT_ID,
      DEMO_CLIENT_ID,
      DEMO_CLIENT_SECRET,
      options,
    );
    const bad = new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, WRONG_SECRET, options);
    const tokens: string[] = [];
    const claims = JSON.stringify({ access_token: { xms_cc: { values: [CLAIMS_MARKER] } } });
    const caller = telemetry.tracerProvider.getTracer("app");
    try {
      await caller.startActiveSpan("request", async (span) => {
        tokens.push((await good.getToken("https://vault.azure.net/.default")).token);
        tokens.push((await good.getToken("https://vault.azure.net/.default")).token);
        tokens.push((await good.getTokenInfo(["https://graph.microsoft.com/.default"])).token);
        tokens.push((await good.getToken("https://vault.azure.net/.default", { claims })).token);
        tokens.push(
          (await good.getToken("https://vault.azure.net/.default", { enableCae: true })).token,
        );
        // Malformed claims: the authority's error message must not echo them into the span.
        await expect(
          good.getToken("https://x/.default", { claims: `{not json ${CLAIMS_MARKER}` }),
        ).rejects.toThrow();
        await expect(bad.getToken("https://vault.azure.net/.default")).rejects.toThrow();
        authority.enqueueFaults([{ kind: "status", status: 500 }]);
        tokens.push((await good.getToken("https://management.azure.com/.default")).token);
        span.end();
      });
      // A failing background refresh, whose error is recorded in a metric attribute.
      clock.advance(3599_000 - 60_000);
      authority.setOutage(true);
      const refreshFailed = new Promise<TokenRefreshEvent>((resolve) => {
        good.events.on("token:refresh", (event) => {
          if (event.outcome === "failed") resolve(event);
        });
      });
      tokens.push((await good.getToken("https://vault.azure.net/.default")).token);
      await refreshFailed;
      authority.setOutage(false);

      const exported = JSON.stringify({
        spans: telemetry.spans().map(exportedForm),
        metrics: await telemetry.collect(),
      });
      // The scan only means something if there was plenty to scan.
      expect(telemetry.spans().length).toBeGreaterThan(10);
      expect(exported).toContain("credchain.token.refresh.failures");
      expect(exported).toContain("ClientAuthenticationError");

      expect(tokens.length).toBeGreaterThan(5);
      for (const token of new Set(tokens)) {
        expect(token.length).toBeGreaterThan(20);
        expect(exported).not.toContain(token);
        // Not even the signature alone, should a token be cut into pieces.
        expect(exported).not.toContain(token.split(".").at(-1));
      }
      expect(exported).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
      for (const secret of [DEMO_CLIENT_SECRET, WRONG_SECRET, encodeURIComponent(WRONG_SECRET)]) {
        expect(exported).not.toContain(secret);
      }
      expect(exported).not.toContain(CLAIMS_MARKER);
      expect(exported).not.toContain("client_secret");
    } finally {
      await good.close();
      await bad.close();
      plugin.shutdown();
      await telemetry.shutdown();
    }
  });
});
