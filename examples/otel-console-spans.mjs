// @credchain/otel README, "The span tree": prints the spans of a cache miss followed by a cache
// hit with the SDK's ConsoleSpanExporter, against the local authority. The README's span tree
// comes from this script.
import { ClientSecretCredential } from "@credchain/client-secret";
import { usePlugin } from "@credchain/core";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  startAuthority,
} from "@credchain/local-authority";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { otelPlugin } from "@credchain/otel";

// 1. The OpenTelemetry SDK, as an application sets it up.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const provider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())],
});
trace.setGlobalTracerProvider(provider);

// 2. The plugin, before any credential is created.
const plugin = otelPlugin();
usePlugin(plugin);

const authority = await startAuthority();
const credential = new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
  authority: authority.url,
});
const scope = "https://vault.azure.net/.default";

await trace.getTracer("app").startActiveSpan("GET /orders", async (span) => {
  await credential.getToken(scope); // miss: one POST to the token endpoint
  await credential.getToken(scope); // hit: answered from memory
  span.end();
});

await credential.close();
await authority.close();
plugin.shutdown();
await provider.shutdown();
