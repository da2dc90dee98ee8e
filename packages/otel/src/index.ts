// The public surface of @credchain/otel. Named re-exports only: anything not listed is internal.
export { otelPlugin, type OtelPlugin } from "./otelPlugin.js";
export type { OtelPluginOptions } from "./OtelPluginOptions.js";
export { MetricNames } from "./TokenMetrics.js";
