import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { context, type Attributes } from "@opentelemetry/api";
import {
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
  type ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type Sampler,
} from "@opentelemetry/sdk-trace-base";

/** A reader that exports nowhere: tests pull with `collect()` (cumulative, the default). */
class PullMetricReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** The real OpenTelemetry SDK, exporting to memory. */
export interface Telemetry {
  tracerProvider: BasicTracerProvider;
  meterProvider: MeterProvider;
  exporter: InMemorySpanExporter;
  /** Every finished span so far. */
  spans(): ReadableSpan[];
  /** The one finished span called `name`; throws if there are none or several. */
  span(name: string): ReadableSpan;
  spansNamed(name: string): ReadableSpan[];
  /** Collects every metric now. */
  collect(): Promise<ResourceMetrics>;
  /** The metric called `name`, if recorded. */
  metric(name: string): Promise<MetricData | undefined>;
  shutdown(): Promise<void>;
}

export function createTelemetry(options: { sampler?: Sampler } = {}): Telemetry {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    ...(options.sampler === undefined ? {} : { sampler: options.sampler }),
  });
  const reader = new PullMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const collect = async (): Promise<ResourceMetrics> => {
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) throw new AggregateError(errors, "metric collection failed");
    return resourceMetrics;
  };
  const spansNamed = (name: string): ReadableSpan[] =>
    exporter.getFinishedSpans().filter((span) => span.name === name);
  return {
    tracerProvider,
    meterProvider,
    exporter,
    spans: () => exporter.getFinishedSpans(),
    spansNamed,
    span(name) {
      const found = spansNamed(name);
      if (found.length !== 1) throw new Error(`expected one span "${name}", found ${found.length}`);
      return found[0]!;
    },
    collect,
    async metric(name) {
      const resourceMetrics = await collect();
      for (const scope of resourceMetrics.scopeMetrics) {
        const metric = scope.metrics.find((m) => m.descriptor.name === name);
        if (metric !== undefined) return metric;
      }
      return undefined;
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/** Registers an AsyncLocalStorage context manager for the file; returns its undo. */
export function useAsyncContext(): () => void {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  return () => context.disable();
}

function sameAttributes(actual: Attributes, expected: Attributes): boolean {
  const keys = Object.keys(expected);
  return (
    keys.length === Object.keys(actual).length && keys.every((key) => actual[key] === expected[key])
  );
}

/** The data point of a sum (counter) metric with exactly these attributes. */
export function sumPoint(
  metric: MetricData | undefined,
  attributes: Attributes,
): DataPoint<number> | undefined {
  const points = (metric?.dataPoints ?? []) as DataPoint<number>[];
  return points.find((point) => sameAttributes(point.attributes, attributes));
}

/** The data point of a histogram metric with exactly these attributes. */
export function histogramPoint(
  metric: MetricData | undefined,
  attributes: Attributes,
): DataPoint<Histogram> | undefined {
  const points = (metric?.dataPoints ?? []) as DataPoint<Histogram>[];
  return points.find((point) => sameAttributes(point.attributes, attributes));
}

/**
 * Everything an exporter could send for a span, as plain data: name, ids, attributes, events,
 * links, status, resource and scope. What the secret scan stringifies.
 */
export function exportedForm(span: ReadableSpan): unknown {
  return {
    name: span.name,
    kind: span.kind,
    context: span.spanContext(),
    parent: span.parentSpanContext,
    attributes: span.attributes,
    events: span.events,
    links: span.links,
    status: span.status,
    resource: span.resource.attributes,
    scope: span.instrumentationScope,
  };
}
