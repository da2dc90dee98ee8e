// Benchmarks of @credchain/cache-redis against the built packages (`pnpm build` first). Starts its
// own redis-server (persistence off) and local authority (100 ms token latency, like Entra's):
//   1. cold start of N = 1, 8, 32 processes for one scope: token requests at the authority and wall
//      time from "go" to the last process's token, with the plugin and without (memory only)
//   2. hit cost: getToken from memory with the plugin registered vs without (goal: within 5%)
//   3. Redis hit: a fresh process (empty memory) constructing a credential and getting a token from
//      Redis, and a fresh credential in a warm process
//   4. write throughput: store.set, one at a time and 64 in flight
// Usage: node packages/cache-redis/bench/redis.bench.mjs [--sizes 1,8,32] [--seconds 2]
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { ClientSecretCredential } from "@credchain/client-secret";
import { rootContainer, Tokens } from "@credchain/core";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  startAuthority,
} from "@credchain/local-authority";
import { redisCachePlugin } from "../dist/index.js";

const self = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : args[index + 1];
};
const SCOPE = "https://vault.azure.net/.default";

function credentialWith(input, withPlugin) {
  const container = rootContainer.createChildContainer();
  if (withPlugin) {
    redisCachePlugin({ url: input.url, encryptionKey: Buffer.from(input.key, "base64") }).register(
      container,
    );
  }
  return new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
    authority: input.authority,
    container,
    ...(withPlugin ? { cachePersistenceOptions: { name: "bench" } } : {}),
  });
}

// ---- child roles -------------------------------------------------------------------------------
if (args[0] === "--child") {
  const input = JSON.parse(args[2]);
  if (args[1] === "cold") {
    const credential = credentialWith(input, input.plugin);
    process.stdout.write("ready\n");
    await new Promise((resolve) => process.stdin.once("data", resolve));
    process.stdin.destroy();
    await credential.getToken(SCOPE);
    const at = Date.now();
    await credential.close();
    process.stdout.write(JSON.stringify({ at }) + "\n");
  } else if (args[1] === "fresh") {
    const started = performance.now();
    const credential = credentialWith(input, true);
    await credential.getToken(SCOPE);
    const elapsed = performance.now() - started;
    await credential.close();
    process.stdout.write(JSON.stringify({ elapsed }) + "\n");
  }
  process.exit(0);
}

// ---- parent ------------------------------------------------------------------------------------
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const { createClient } = await import("redis");
  const client = createClient({ url: `redis://127.0.0.1:${port}` });
  client.on("error", () => {});
  for (let i = 0; ; i++) {
    try {
      await client.connect();
      break;
    } catch {
      if (i > 200) throw new Error("redis-server did not start");
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  return { url: `redis://127.0.0.1:${port}`, client, stop: () => child.kill("SIGKILL") };
}

function startChild(role, input) {
  const child = spawn(process.execPath, [self, "--child", role, JSON.stringify(input)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (chunk) => (out += chunk));
  const ready = new Promise((resolve) => {
    child.stdout.on("data", () => out.includes("ready\n") && resolve());
  });
  const done = new Promise((resolve, reject) =>
    child.once("close", (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split("\n").pop()))
        : reject(new Error(`${role} exited ${code}`)),
    ),
  );
  return { child, ready, done };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const key = randomBytes(32).toString("base64");
const redis = await startRedis();
const authority = await startAuthority({ faults: [{ kind: "latency", ms: 100 }] });
const base = { url: redis.url, key, authority: authority.url };

try {
  // 1. cold start
  console.log(
    "cold start, one scope (100 ms authority latency): token requests, wall time to the last token",
  );
  console.log(
    "| processes | without plugin: requests | time | with cache-redis: requests | time |",
  );
  console.log("|---:|---:|---:|---:|---:|");
  for (const n of option("sizes", "1,8,32").split(",").map(Number)) {
    const row = [n];
    for (const plugin of [false, true]) {
      await redis.client.flushAll();
      authority.resetLog();
      const children = Array.from({ length: n }, () => startChild("cold", { ...base, plugin }));
      await Promise.all(children.map((c) => c.ready));
      const go = Date.now();
      for (const c of children) c.child.stdin.write("go\n");
      const results = await Promise.all(children.map((c) => c.done));
      const last = Math.max(...results.map((r) => r.at));
      row.push(authority.tokenRequestCount(), `${last - go} ms`);
    }
    console.log(`| ${row.join(" | ")} |`);
  }

  // 2. hit cost
  const seconds = Number(option("seconds", "2"));
  const plain = credentialWith(base, false);
  const cached = credentialWith(base, true);
  await plain.getToken(SCOPE);
  await cached.getToken(SCOPE);
  const measure = async (credential) => {
    const rounds = [];
    for (let round = 0; round < 5; round++) {
      let calls = 0;
      const until = performance.now() + (seconds * 1000) / 5;
      const started = performance.now();
      while (performance.now() < until) {
        for (let i = 0; i < 1000; i++) await credential.getToken(SCOPE);
        calls += 1000;
      }
      rounds.push(((performance.now() - started) * 1e6) / calls);
    }
    return median(rounds);
  };
  // Interleaved, so drift on a busy machine hits both alike.
  const without = [];
  const withPlugin = [];
  for (let i = 0; i < 3; i++) {
    without.push(await measure(plain));
    withPlugin.push(await measure(cached));
  }
  const a = median(without);
  const b = median(withPlugin);
  console.log(
    `\nhit from memory: ${a.toFixed(0)} ns without the plugin, ${b.toFixed(0)} ns with it (${((b / a - 1) * 100).toFixed(1)}%)`,
  );
  await plain.close();
  await cached.close();

  // 3. Redis hit
  const fresh = [];
  for (let i = 0; i < 7; i++) fresh.push((await startChild("fresh", base).done).elapsed);
  const warm = [];
  for (let i = 0; i < 200; i++) {
    const credential = credentialWith(base, true);
    const started = performance.now();
    await credential.getToken(SCOPE);
    warm.push(performance.now() - started);
    await credential.close();
  }
  console.log(
    `Redis hit, fresh process (construct + connect + GET + decrypt): median ${median(fresh).toFixed(1)} ms of ${fresh.length}`,
  );
  console.log(
    `Redis hit, fresh credential in a warm process (first call, connect included): median ${median(warm).toFixed(2)} ms of ${warm.length}`,
  );

  // 4. write throughput
  const container = rootContainer.createChildContainer();
  redisCachePlugin({ url: redis.url, encryptionKey: Buffer.from(key, "base64") }).register(
    container,
  );
  const store = container
    .resolve(Tokens.TokenCachePersistence)
    .open({ name: "bench-writes", partition: "nocae", allowUnencryptedStorage: false });
  await store.get("warm-up");
  const token = {
    token: randomBytes(900).toString("base64url"),
    expiresOnTimestamp: Date.now() + 3_600_000,
  };
  for (const inFlight of [1, 64]) {
    let writes = 0;
    const until = performance.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async (_, lane) => {
        while (performance.now() < until) await store.set(`w-${lane}-${writes++}`, token);
      }),
    );
    const rate = writes / ((performance.now() - started) / 1000);
    console.log(`writes (1.2 KB token, encrypted), ${inFlight} in flight: ${Math.round(rate)}/s`);
  }
  await store.close();
} finally {
  await redis.client.close();
  redis.stop();
  await authority.close();
}
