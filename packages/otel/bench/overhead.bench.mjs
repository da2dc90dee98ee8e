// The cost of @credchain/otel on the cache-hit path with no OpenTelemetry SDK registered (the
// global API is a no-op), which must stay within 10% of a credential without the plugin.
//
//   npx tsc -b packages/otel && node packages/otel/bench/overhead.bench.mjs   # from the repository root
//
// Imports the built dists. Uses ClientSecretCredential against the local authority when
// @credchain/client-secret is built, else a minimal TokenCredentialBase subclass (the hit path
// is core's either way: the subclass is only asked for the first token).
import { rootContainer, TokenCredentialBase, Tokens, usePlugin } from "@credchain/core";
import { otelPlugin } from "../dist/index.js";

const SCOPE = "https://management.azure.com/.default";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 41);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 50_000);

class StaticTokenCredential extends TokenCredentialBase {
  constructor(options) {
    super(
      {
        credentialName: "StaticTokenCredential",
        authorityHost: "https://login.microsoftonline.com",
        clientId: "bench-client",
        tenantId: "00000000-0000-0000-0000-000000000001",
      },
      options,
    );
  }
  async requestToken() {
    return { token: "bench-token", expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

/** A factory for the credential under test, and a cleanup. */
async function credentialFactory() {
  try {
    const { ClientSecretCredential } = await import("@credchain/client-secret");
    const { startAuthority, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID } =
      await import("@credchain/local-authority");
    const authority = await startAuthority();
    return {
      kind: "ClientSecretCredential (local authority)",
      create: (options) =>
        new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
          ...options,
          authority: authority.url,
        }),
      close: () => authority.close(),
    };
  } catch {
    return {
      kind: "StaticTokenCredential (TokenCredentialBase subclass)",
      create: (options) => new StaticTokenCredential(options),
      close: async () => {},
    };
  }
}

async function nsPerOp(credential) {
  const started = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) await credential.getToken(SCOPE);
  return Number(process.hrtime.bigint() - started) / ITERATIONS;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const factory = await credentialFactory();
const without = factory.create();
const undo = usePlugin(otelPlugin());
const withPlugin = factory.create();
undo();
// For reference: an instrumenter that does nothing at all. What it costs is core's instrumented
// branch itself; what the plugin costs beyond it is the plugin's. (`isEnabled` is the pre-check
// proposed for core's Instrumenter; a core that does not ask ignores it.)
const child = rootContainer.createChildContainer();
child.register(Tokens.Instrumenter, {
  useValue: { isEnabled: () => false, startSpan: () => undefined, withSpan: (_span, fn) => fn() },
});
const withNullInstrumenter = factory.create({ container: child });

const variants = [
  ["without plugin", without],
  ["with plugin (no SDK)", withPlugin],
  ["null instrumenter", withNullInstrumenter],
];
for (const [, credential] of variants) {
  await credential.getToken(SCOPE); // fill the cache
  await nsPerOp(credential); // warm up
}
const samples = new Map(variants.map(([name]) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  // Interleaved, rotating order: drift (GC, CPU frequency) hits every variant alike.
  for (let i = 0; i < variants.length; i++) {
    const [name, credential] = variants[(round + i) % variants.length];
    samples.get(name).push(await nsPerOp(credential));
  }
}
await Promise.all(variants.map(([, credential]) => credential.close()));
await factory.close();

// Other load on the machine only ever adds time, so the minimum is the steadiest estimate of
// the intrinsic cost; the median shows what a typical round saw.
console.log(`credential: ${factory.kind}; ${ROUNDS} rounds x ${ITERATIONS} cache hits each`);
const min = (values) => Math.min(...values);
const baseMedian = median(samples.get("without plugin"));
const baseMin = min(samples.get("without plugin"));
for (const [name] of variants) {
  const m = median(samples.get(name));
  const b = min(samples.get(name));
  console.log(
    `${name.padEnd(22)} median ${m.toFixed(1).padStart(7)} ns/op (ratio ${(m / baseMedian).toFixed(3)})` +
      `  min ${b.toFixed(1).padStart(7)} ns/op (ratio ${(b / baseMin).toFixed(3)})`,
  );
}
