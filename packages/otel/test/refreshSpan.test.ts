// Regression test for issue 8 "a background refresh span parented to an already ended getToken span".
import { ClientSecretCredential } from "@credchain/client-secret";
import { ManualClock, rootContainer, Tokens, type TokenRefreshEvent } from "@credchain/core";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  startAuthority,
  type LocalAuthority,
} from "@credchain/local-authority";
import { afterAll, beforeAll, expect, it } from "vitest";
import { otelPlugin } from "../src/index.js";
import { createTelemetry, useAsyncContext } from "./support/telemetry.js";

const SCOPE = "https://vault.azure.net/.default";
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

it("a background refresh gets its own span, linked to the call that started it, not parented to its ended span", async () => {
  const telemetry = createTelemetry();
  const plugin = otelPlugin({ tracerProvider: telemetry.tracerProvider });
  const clock = new ManualClock(Date.now());
  const child = rootContainer.createChildContainer();
  plugin.register(child);
  child.register(Tokens.Clock, { useValue: clock });
  const credential = new ClientSecretCredential(
    DEMO_TENANT_ID,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    {
      authority: authority.url,
      container: child,
    },
  );
  try {
    await credential.getToken(SCOPE);
    clock.advance(3_599_000 - 60_000); // inside the refresh window, still valid
    const refreshed = new Promise<TokenRefreshEvent>((resolve) => {
      credential.events.on("token:refresh", (event) => {
        if (event.outcome !== "started") resolve(event);
      });
    });
    await credential.getToken(SCOPE); // answered from memory; starts the refresh
    expect((await refreshed).outcome).toBe("succeeded");

    const [, origin] = telemetry.spansNamed("ClientSecretCredential.getToken");
    const refresh = telemetry.span("ClientSecretCredential.refresh");
    expect(origin).toBeDefined();
    // A root of its own trace, linked to the getToken span that started it.
    expect(refresh.parentSpanContext).toBeUndefined();
    expect(refresh.links.map((link) => link.context.spanId)).toEqual([
      origin!.spanContext().spanId,
    ]);
    // The refresh's HTTP attempt is its child, not the ended getToken span's.
    const posts = telemetry.spansNamed("POST");
    expect(posts).toHaveLength(2);
    expect(posts[1]!.parentSpanContext?.spanId).toBe(refresh.spanContext().spanId);
    expect(origin!.endTime).toBeDefined();
  } finally {
    await credential.close();
    plugin.shutdown();
    await telemetry.shutdown();
  }
});
