// Benchmarks of @credchain/cache-file against the built package (run `npx tsc -b packages/cache-file` first):
//   1. persistent hit from a fresh process: store open -> token, and ClientSecretCredential construct -> token
//   2. locked writes per second with 4 processes writing to one cache file at once
// Usage: node packages/cache-file/bench/persistent.bench.mjs [--runs 20] [--seconds 3]
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { rootContainer, Tokens, usePlugin } from "@credchain/core";
import { fileCachePlugin } from "../dist/index.js";

const self = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(args[index + 1]);
};

function openStore({ directory, key, name = "bench" }) {
  const container = rootContainer.createChildContainer();
  fileCachePlugin({
    directory,
    encryptionKey: Buffer.from(key, "base64"),
    lock: { timeoutInMs: 60_000 },
  }).register(container);
  const persistence = container.resolve(Tokens.TokenCachePersistence);
  return {
    persistence,
    store: persistence.open({ name, partition: "nocae", allowUnencryptedStorage: false }),
  };
}

// ---- child roles -------------------------------------------------------------------------------
if (args[0] === "--child") {
  const input = JSON.parse(args[2]);
  if (args[1] === "read") {
    const started = performance.now();
    const { store } = openStore(input);
    const token = await store.get(input.cacheKey);
    const elapsed = performance.now() - started;
    if (token === undefined) throw new Error("no persistent hit");
    process.stdout.write(JSON.stringify({ elapsed }) + "\n");
  } else if (args[1] === "credential") {
    const { ClientSecretCredential } = await import("@credchain/client-secret");
    const { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID } =
      await import("@credchain/local-authority");
    usePlugin(
      fileCachePlugin({
        directory: input.directory,
        encryptionKey: Buffer.from(input.key, "base64"),
      }),
    );
    const started = performance.now();
    const credential = new ClientSecretCredential(
      DEMO_TENANT_ID,
      DEMO_CLIENT_ID,
      DEMO_CLIENT_SECRET,
      {
        authority: input.authority,
        cachePersistenceOptions: { name: "bench-credential" },
      },
    );
    await credential.getToken(input.scope);
    const elapsed = performance.now() - started;
    await credential.close();
    process.stdout.write(JSON.stringify({ elapsed }) + "\n");
  } else if (args[1] === "write") {
    const { persistence, store } = openStore(input);
    await store.get("warm-up"); // key and directory set up before the clock starts
    const expiresOnTimestamp = Date.now() + 3_600_000;
    const deadline = input.startAt + input.seconds * 1000;
    while (Date.now() < input.startAt) await new Promise((resolve) => setTimeout(resolve, 1));
    let writes = 0;
    while (Date.now() < deadline) {
      await store.set(`${input.prefix}-${writes}`, { token: `t-${writes}`, expiresOnTimestamp });
      writes++;
    }
    process.stdout.write(
      JSON.stringify({ writes, locks: persistence.diagnostics.lockAcquisitions }) + "\n",
    );
  }
  process.exit(0);
}

// ---- driver ------------------------------------------------------------------------------------
function child(role, input) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const proc = spawn(process.execPath, [self, "--child", role, JSON.stringify(input)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    proc.stdout.setEncoding("utf8").on("data", (chunk) => (out += chunk));
    proc.once("error", reject);
    proc.once("close", (code) =>
      code === 0
        ? resolve({ ...JSON.parse(out), wall: performance.now() - started })
        : reject(new Error(`${role} child exited ${code}`)),
    );
  });
}

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(2)} ms, p90 ${at(0.9).toFixed(2)} ms, min ${sorted[0].toFixed(2)} ms`;
};

const runs = option("runs", 20);
const seconds = option("seconds", 3);
const directory = await mkdtemp(join(tmpdir(), "credchain-bench-"));
const key = randomBytes(32).toString("base64");
try {
  console.log(
    `@credchain/cache-file benchmark — node ${process.version}, ${process.platform}/${process.arch}`,
  );

  // 1a. Store level.
  const cacheKey =
    "https://login.microsoftonline.com|client|tenant|https://vault.azure.net/.default|nocae";
  {
    const { store } = openStore({ directory, key });
    for (let i = 0; i < 50; i++) {
      await store.set(`filler-${i}`, {
        token: randomBytes(900).toString("base64url"),
        expiresOnTimestamp: Date.now() + 3_600_000,
      });
    }
    await store.set(cacheKey, {
      token: randomBytes(900).toString("base64url"),
      expiresOnTimestamp: Date.now() + 3_600_000,
    });
    await store.close();
  }
  const reads = [];
  for (let i = 0; i < runs; i++) reads.push(await child("read", { directory, key, cacheKey }));
  console.log(
    `persistent hit, fresh process, store open -> token (51 entries, encrypted): ${stats(reads.map((r) => r.elapsed))}`,
  );
  console.log(
    `  whole process (spawn -> exit, incl. Node start-up and imports):          ${stats(reads.map((r) => r.wall))}`,
  );

  // 1b. Credential level, against the local authority.
  try {
    const { startAuthority } = await import("@credchain/local-authority");
    const authority = await startAuthority();
    try {
      const input = {
        directory,
        key,
        authority: authority.url,
        scope: "https://vault.azure.net/.default",
      };
      await child("credential", input); // populates the cache over the network
      const before = authority.tokenRequestCount();
      const hits = [];
      for (let i = 0; i < runs; i++) hits.push(await child("credential", input));
      console.log(
        `persistent hit, fresh process, new ClientSecretCredential -> getToken: ${stats(hits.map((r) => r.elapsed))}`,
      );
      console.log(
        `  token requests to the authority during those ${runs} runs: ${authority.tokenRequestCount() - before}`,
      );
    } finally {
      await authority.close();
    }
  } catch (error) {
    console.log(`(credential-level hit skipped: ${error.message})`);
  }

  // 2. Writes per second, 4 processes, one file.
  const processes = 4;
  const startAt = Date.now() + 1_500;
  const writers = await Promise.all(
    Array.from({ length: processes }, (_, p) =>
      child("write", { directory, key, name: "bench-writes", prefix: `p${p}`, startAt, seconds }),
    ),
  );
  const total = writers.reduce((sum, w) => sum + w.writes, 0);
  console.log(
    `writes/second, ${processes} processes each awaiting one set at a time (every set = lock + read + merge + encrypt + fsync + rename): ` +
      `${(total / seconds).toFixed(0)} total (${writers.map((w) => (w.writes / seconds).toFixed(0)).join(" / ")} per process)`,
  );
} finally {
  await rm(directory, { recursive: true, force: true });
}
