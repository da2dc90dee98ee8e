// credchain vs @azure/identity, side by side against one local HTTPS authority, in one run.
//
//   node test/bench/peer.bench.mjs            (after `pnpm build`; `pnpm bench` runs it)
//   BENCH_QUICK=1 node test/bench/peer.bench.mjs   (smaller sizes, for a smoke run)
//
// The parent process runs the authority; a forked child (started with NODE_EXTRA_CA_CERTS so
// both libraries trust the authority's self-signed certificate) runs both credentials and asks
// the parent for request counts and outages over IPC. msal-node needs https and
// disableInstanceDiscovery to talk to a local authority.
import { fork } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const QUICK = process.env.BENCH_QUICK === "1";
const AZURE_MAX_SCOPES = Number(process.env.BENCH_AZURE_MAX_SCOPES ?? 1_000);
const RECOVERY_CAP_MS = Number(process.env.BENCH_RECOVERY_CAP_S ?? (QUICK ? 5 : 70)) * 1000;

if (process.argv[2] !== "child") {
  const { startAuthority } = await import("@credchain/local-authority");
  const authority = await startAuthority({ https: true, signing: "none" });
  const dir = mkdtempSync(join(tmpdir(), "credchain-bench-"));
  const caFile = join(dir, "ca.pem");
  writeFileSync(caFile, authority.certificate);
  const child = fork(new URL(import.meta.url).pathname, ["child"], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, AUTHORITY_URL: authority.url },
  });
  child.on("message", (message) => {
    const { id, cmd, on } = message;
    if (cmd === "count") child.send({ id, value: authority.tokenRequestCount() });
    else if (cmd === "outage") {
      authority.setOutage(on);
      child.send({ id, value: true });
    }
  });
  const code = await new Promise((resolve) => child.on("exit", resolve));
  await authority.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(code ?? 1);
}

// ---- child: the measurements ----
const { ClientSecretCredential } = await import("@credchain/client-secret");
const { ClientSecretCredential: AzureClientSecretCredential } = await import("@azure/identity");
const { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } = await import("@credchain/local-authority");
const URL_ = process.env.AUTHORITY_URL;

let nextId = 0;
const pending = new Map();
process.on("message", ({ id, value }) => {
  pending.get(id)?.(value);
  pending.delete(id);
});
const ask = (cmd, extra = {}) =>
  new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    process.send({ id, cmd, ...extra });
  });

const libraries = {
  credchain: (tenant = "bench-tenant") =>
    new ClientSecretCredential(tenant, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
      authority: URL_,
      additionallyAllowedTenants: ["*"],
    }),
  "@azure/identity": (tenant = "bench-tenant") =>
    new AzureClientSecretCredential(tenant, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
      authorityHost: URL_,
      disableInstanceDiscovery: true,
      additionallyAllowedTenants: ["*"],
    }),
};
const close = async (credential) => credential.close?.();
const scope = (i) => `api://bench-${i}/.default`;

/** Filling a cache is set-up, not measurement: a transient failure there is retried. */
async function withRetry(fn, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

async function populate(credential, count, options = () => undefined) {
  for (let i = 0; i < count; i++) await withRetry(() => credential.getToken(scope(i), options(i)));
}

/** Mean microseconds per call of `fn(i)`, over at least `minCalls` calls and `minMs` ms. */
/**
 * Mean microseconds per call of `fn(i)`: the median of 5 rounds, each of at least
 * `minCalls / 5` calls and `minMs / 5` ms, so one GC pause or frequency step does not decide it.
 */
async function meanMicros(fn, { minCalls = 1_000, minMs = 500 } = {}) {
  for (let i = 0; i < 200; i++) await fn(i); // warm-up
  const rounds = [];
  let calls = 0;
  for (let round = 0; round < 5; round++) {
    let roundCalls = 0;
    const start = performance.now();
    let elapsed = 0;
    while (roundCalls < minCalls / 5 || elapsed < minMs / 5) {
      for (let k = 0; k < 100; k++) await fn(calls++);
      roundCalls += 100;
      elapsed = performance.now() - start;
    }
    rounds.push((elapsed * 1000) / roundCalls);
  }
  return rounds.sort((a, b) => a - b)[2];
}

const results = {};
const record = (name, lib, value) => ((results[name] ??= {})[lib] = value);

// BENCH_ONLY=credchain measures one side, e.g. while tuning; the ratios then say n/a.
const only = process.env.BENCH_ONLY;
for (const [lib, make] of Object.entries(libraries)) {
  if (only !== undefined && lib !== only) continue;
  process.stderr.write(`measuring ${lib}...\n`);
  // 1. Cache-hit throughput.
  {
    const credential = make();
    await credential.getToken(scope(0));
    const micros = await meanMicros(() => credential.getToken(scope(0)), {
      minMs: QUICK ? 300 : 1_000,
    });
    record("cache hit (ops/s)", lib, 1e6 / micros);
    await close(credential);
  }
  // 2. Requests for 1,000 concurrent cold calls.
  {
    const credential = make();
    const before = await ask("count");
    await Promise.all(Array.from({ length: 1_000 }, () => credential.getToken(scope("storm"))));
    record("requests for 1,000 concurrent cold calls", lib, (await ask("count")) - before);
    await close(credential);
  }
  // 3. Mean µs per hit as the cache grows: one credential, filled step by step. @azure/identity
  // pays O(n) per miss while filling (126 ms per miss at 1,500 cached scopes here), so filling it
  // to 5,000 would take the better part of an hour: it stops at AZURE_MAX_SCOPES.
  {
    const credential = make();
    let filled = 0;
    for (const size of QUICK ? [1, 100, 1_000] : [1, 100, 1_000, 5_000]) {
      if (lib !== "credchain" && size > AZURE_MAX_SCOPES) {
        record(`µs per hit, ${size} cached scopes`, lib, NaN);
        continue;
      }
      for (; filled < size; filled++) await withRetry(() => credential.getToken(scope(filled)));
      const micros = await meanMicros((i) => credential.getToken(scope((i * 7919) % size)), {
        minCalls: lib === "credchain" ? 20_000 : 300,
        minMs: QUICK ? 200 : 2_000,
      });
      record(`µs per hit, ${size} cached scopes`, lib, micros);
    }
    await close(credential);
  }
  // 4. 200 tenants, a random tenant per call.
  {
    const credential = make("home-tenant");
    const tenant = (i) => `tenant-${i % 200}`;
    await populate(credential, 200, (i) => ({ tenantId: tenant(i) }));
    const micros = await meanMicros(
      () => credential.getToken(scope(0), { tenantId: tenant(Math.floor(Math.random() * 200)) }),
      { minCalls: lib === "credchain" ? 20_000 : 300, minMs: QUICK ? 200 : 500 },
    );
    record("µs per hit, 200 tenants, random tenant per call", lib, micros);
    await close(credential);
  }
  // 5. Seconds until the first success after a 500 outage ends.
  {
    const credential = make();
    await ask("outage", { on: true });
    let succeededAt;
    let failures = 0;
    let stop = false;
    const caller = (async () => {
      while (!stop) {
        try {
          await credential.getToken(scope("recovery"));
          succeededAt = performance.now();
          return;
        } catch {
          failures++;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
    })();
    // The outage lasts until the caller has seen a call fail (retries exhausted), and at least
    // 2 s: what happens after a failure is what this measures.
    const outageStart = performance.now();
    while (failures === 0 || performance.now() - outageStart < 2_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await ask("outage", { on: false });
    const recoveredAt = performance.now();
    const timer = setTimeout(() => (stop = true), RECOVERY_CAP_MS);
    await caller;
    clearTimeout(timer);
    record(
      "seconds to first success after a 500 outage ends",
      lib,
      succeededAt === undefined ? Infinity : (succeededAt - recoveredAt) / 1000,
    );
    await close(credential);
  }
}

const fmt = (value = NaN) =>
  Number.isNaN(value)
    ? "not measured"
    : value === Infinity
      ? `> ${RECOVERY_CAP_MS / 1000} (gave up)`
      : value >= 100
        ? Math.round(value).toLocaleString("en-US")
        : value.toFixed(value >= 10 ? 1 : 3);
console.log("\ncredchain vs @azure/identity 4.13.1 (same local https authority, same process)\n");
console.log(
  `${"measure".padEnd(52)}${"credchain".padStart(14)}${"@azure/identity".padStart(18)}   ratio`,
);
for (const [name, { credchain, "@azure/identity": azure }] of Object.entries(results)) {
  const higherIsBetter = name.includes("ops/s");
  const ratio = higherIsBetter ? credchain / azure : azure / credchain;
  const ratioText = Number.isFinite(ratio)
    ? `${ratio.toFixed(1)}x`
    : azure === Infinity
      ? "∞"
      : "n/a";
  console.log(
    `${name.padEnd(52)}${fmt(credchain).padStart(14)}${fmt(azure).padStart(18)}   ${ratioText}`,
  );
}
const sizes = Object.keys(results).filter((name) => name.includes("cached scopes"));
const flat = results[sizes.at(-1)].credchain / results[sizes[0]].credchain;
console.log(
  `\nflatness, credchain µs per hit at ${sizes.at(-1).replace("µs per hit, ", "")} / at 1: ` +
    `${flat.toFixed(2)}x (target <= 1.5x)`,
);
if (Number.isNaN(results[sizes.at(-1)]["@azure/identity"])) {
  console.log(
    `@azure/identity was filled to ${AZURE_MAX_SCOPES} scopes (BENCH_AZURE_MAX_SCOPES): each miss costs it O(n).`,
  );
}
process.exit(0);
