// Benchmarks of @credchain/default against the built packages (run `pnpm build` first). Printed, not asserted.
//   1. First getToken of DefaultAzureCredential on a machine with nothing configured, in a fresh
//      child process with a clean environment: no AZURE_* variables, no az on PATH, and IMDS
//      pointed (AZURE_POD_IDENTITY_AUTHORITY_HOST) at a loopback port that (a) accepts and never
//      answers, or (b) refuses. Side by side with @azure/identity's DefaultAzureCredential, given
//      the same variable so neither ever contacts 169.254.169.254.
//   2. Cache-hit cost: getToken through DefaultAzureCredential vs the bare ManagedIdentityCredential.
//   A child still running after --cap ms (default 60000) is killed and reported as "> cap":
//   @azure/identity waits out its own timeouts and retries against a silent port.
// Usage: node packages/default/bench/default.bench.mjs [--runs 3] [--hits 200000] [--cap 60000] [--only first|hits]
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(args[index + 1]);
};
const SCOPE = "https://management.azure.com/.default";

const credchainEntry = pathToFileURL(join(here, "..", "dist", "index.js")).href;
const azureIdentityEntry = pathToFileURL(
  createRequire(join(root, "test", "package.json")).resolve("@azure/identity"),
).href;

// The child: one DefaultAzureCredential, one getToken, wall time from construction to settling.
const CHILD = `
const [entry, which, scope] = process.argv.slice(1);
const { DefaultAzureCredential } = await import(entry);
const started = performance.now();
let outcome;
try {
  const credential = new DefaultAzureCredential();
  await credential.getToken(scope);
  outcome = "token";
} catch (error) {
  outcome = error?.name ?? "error";
}
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ which, ms, outcome }));
process.exit(0);
`;

async function listen(server) {
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server.address().port;
}

/** A port that accepts connections and never answers. */
async function silentPort() {
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.resume();
  });
  const port = await listen(server);
  return {
    port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A port nothing listens on. */
async function refusingPort() {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return { port, close: async () => {} };
}

function runChild(entry, which, port, emptyDir, capInMs) {
  // A clean environment: nothing inherited, so no AZURE_* variable, az, azd or pwsh is found.
  const env = {
    PATH: emptyDir,
    HOME: emptyDir,
    AZURE_POD_IDENTITY_AUTHORITY_HOST: `http://127.0.0.1:${port}`,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--input-type=module", "-e", CHILD, entry, which, SCOPE],
      { env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    const started = performance.now();
    const timer = setTimeout(() => child.kill("SIGKILL"), capInMs);
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("error", reject);
    child.on("close", () => {
      clearTimeout(timer);
      if (out === "" && performance.now() - started >= capInMs) {
        resolve({
          which,
          ms: capInMs,
          outcome: `still waiting after ${capInMs} ms: killed`,
          capped: true,
        });
        return;
      }
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`${which} child printed no result: ${err.slice(0, 500)}`));
      }
    });
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function firstToken(runs, capInMs) {
  const emptyDir = await mkdtemp(join(tmpdir(), "credchain-bench-empty-"));
  try {
    for (const [label, open] of [
      ["IMDS port accepts, never answers", silentPort],
      ["IMDS port refuses", refusingPort],
    ]) {
      const port = await open();
      try {
        const results = { credchain: [], "@azure/identity": [] };
        const outcomes = {};
        const capped = {};
        for (let run = 0; run < runs; run++) {
          for (const [which, entry] of [
            ["credchain", credchainEntry],
            ["@azure/identity", azureIdentityEntry],
          ]) {
            const result = await runChild(entry, which, port.port, emptyDir, capInMs);
            results[which].push(result.ms);
            outcomes[which] = result.outcome;
            if (result.capped) capped[which] = true;
          }
        }
        console.log(
          `first getToken, nothing configured, ${label} (median of ${runs} fresh processes):`,
        );
        for (const [which, times] of Object.entries(results)) {
          console.log(
            `  ${which.padEnd(16)} ${capped[which] ? ">" : " "}${median(times).toFixed(0).padStart(6)} ms  (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}; ends in ${outcomes[which]})`,
          );
        }
      } finally {
        await port.close();
      }
    }
  } finally {
    await rm(emptyDir, { recursive: true, force: true });
  }
}

async function hitCost(hits) {
  const { startAuthority } = await import(
    pathToFileURL(join(root, "test", "authority", "dist", "index.js")).href
  );
  const { ManagedIdentityCredential } = await import(
    pathToFileURL(join(root, "packages", "managed-identity", "dist", "index.js")).href
  );
  const { DefaultAzureCredential } = await import(credchainEntry);
  const authority = await startAuthority();
  try {
    const env = { ...authority.managedIdentity.environment("app-service"), PATH: "" };
    const bare = new ManagedIdentityCredential({
      [Symbol.for("@credchain/managed-identity.internal")]: { env },
    });
    const chain = new DefaultAzureCredential({
      [Symbol.for("@credchain/default.internal")]: { env },
    });
    await bare.getToken(SCOPE);
    await chain.getToken(SCOPE);
    const measure = async (credential) => {
      const samples = [];
      for (let round = 0; round < 5; round++) {
        const started = process.hrtime.bigint();
        for (let i = 0; i < hits; i++) await credential.getToken(SCOPE);
        samples.push(Number(process.hrtime.bigint() - started) / hits);
      }
      return median(samples);
    };
    // Interleaved warm-ups, so neither runs on a colder JIT.
    await measure(bare);
    await measure(chain);
    const bareNs = await measure(bare);
    const chainNs = await measure(chain);
    console.log(`cache hit, ${hits} awaited getToken calls (median of 5 rounds):`);
    console.log(`  bare ManagedIdentityCredential   ${bareNs.toFixed(0).padStart(6)} ns/call`);
    console.log(
      `  DefaultAzureCredential (MI)      ${chainNs.toFixed(0).padStart(6)} ns/call  (+${(chainNs - bareNs).toFixed(0)} ns)`,
    );
    await bare.close();
    await chain.close();
  } finally {
    await authority.close();
  }
}

const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
if (only !== "hits") await firstToken(option("runs", 3), option("cap", 60_000));
if (only !== "first") await hitCost(option("hits", 200_000));
