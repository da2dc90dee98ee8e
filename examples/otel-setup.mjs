// @credchain/otel README, "Setup": the OpenTelemetry SDK, the plugin, then credentials. Exports
// to the console here; use your OTLP exporters in an application.
import { context, metrics, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
} from "@opentelemetry/sdk-trace-base";
import {
  ConsoleMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { usePlugin } from "@credchain/core";
import { ClientSecretCredential } from "@credchain/client-secret";
import { otelPlugin } from "@credchain/otel";

const spanExporter = new ConsoleSpanExporter();
const metricExporter = new ConsoleMetricExporter();

// 1. The SDK (or @opentelemetry/sdk-node), as usual.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracerProvider = new BasicTracerProvider({
  spanProcessors: [new BatchSpanProcessor(spanExporter)],
});
trace.setGlobalTracerProvider(tracerProvider);
const meterProvider = new MeterProvider({
  readers: [new PeriodicExportingMetricReader({ exporter: metricExporter })],
});
metrics.setGlobalMeterProvider(meterProvider);

// 2. The plugin. Global providers by default, or pass { tracerProvider, meterProvider }.
const plugin = otelPlugin();
const undo = usePlugin(plugin);

// 3. Credentials.
const credential = new ClientSecretCredential(
  process.env.AZURE_TENANT_ID,
  process.env.AZURE_CLIENT_ID,
  process.env.AZURE_CLIENT_SECRET,
);
await credential.getToken("https://vault.azure.net/.default");

// At shutdown: flush what was recorded.
await credential.close();
undo();
plugin.shutdown();
await tracerProvider.shutdown();
await meterProvider.shutdown();
