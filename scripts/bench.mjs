// `pnpm bench`: every benchmark, one after another (they would skew each other in parallel on a
// small machine). Each prints its own numbers; this only sequences them. Run after `pnpm build`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const benches = [
  ["core: cache engine and credential hit path", "packages/core/bench/engine.bench.mjs"],
  ["otel: plugin overhead on the hit path", "packages/otel/bench/overhead.bench.mjs"],
  ["cache-file: persistent cache", "packages/cache-file/bench/persistent.bench.mjs"],
  [
    "cache-redis: cold start across processes, hit cost, Redis hits and writes",
    "packages/cache-redis/bench/redis.bench.mjs",
  ],
  [
    "client-certificate: signatures and hit cost",
    "packages/client-certificate/bench/signature.bench.mjs",
  ],
  ["credchain vs @azure/identity", "test/bench/peer.bench.mjs"],
  ["transport: miss path, tenants, import cost, heap per token", "test/bench/transport.bench.mjs"],
];
const only = process.argv[2];
let failed = false;
for (const [title, file] of benches) {
  if (only !== undefined && !file.includes(only)) continue;
  if (!existsSync(file)) continue;
  console.log(`\n### ${title} (${file})\n`);
  const { status } = spawnSync(process.execPath, [file], { stdio: "inherit" });
  if (status !== 0) {
    failed = true;
    console.log(`(${file} exited with ${status})`);
  }
}
process.exit(failed ? 1 : 0);
