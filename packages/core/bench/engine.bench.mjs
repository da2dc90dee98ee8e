// Token cache benchmark: the cache-hit path through the engine and through a full credential, a
// storm of concurrent misses against a real local HTTP server, and a naive Map + single-flight
// reference for scale. Run after a build: `node packages/core/bench/engine.bench.mjs`.
import { createServer } from "node:http";
import {
  TokenCacheEngine,
  TokenCredentialBase,
  rootContainer,
  systemClock,
} from "../dist/index.js";

const HOUR = 3_600_000;
const QUICK = process.argv.includes("--quick");
const scale = QUICK ? 0.1 : 1;

function line(label, value) {
  console.log(`${label.padEnd(58)} ${value}`);
}

/** Runs `body(iterations)` once to warm up, then times it; returns ns per iteration. */
function timeSync(iterations, body) {
  body(Math.min(iterations, 200_000));
  body(Math.min(iterations, 200_000));
  const start = process.hrtime.bigint();
  body(iterations);
  return Number(process.hrtime.bigint() - start) / iterations;
}

async function timeAsync(iterations, body) {
  await body(Math.min(iterations, 100_000));
  await body(Math.min(iterations, 100_000));
  const start = process.hrtime.bigint();
  await body(iterations);
  return Number(process.hrtime.bigint() - start) / iterations;
}

const scopesFor = (n) =>
  Array.from({ length: n }, (_, i) => `https://resource-${i}.example.com/.default`);

// ---------------------------------------------------------------------------------------------
// (a) engine.lookup(key)

async function benchEngine(n) {
  const engine = new TokenCacheEngine({
    clock: systemClock,
    acquire: async () => ({ token: "t", expiresOnTimestamp: Date.now() + HOUR }),
    maxEntries: Math.max(n, 10_000),
  });
  const keys = scopesFor(n).map(
    (scope) => `https://login.microsoftonline.com|client|tenant|${scope}|nocae`,
  );
  for (const key of keys) {
    await engine.acquire({ key, scopes: [key], tenantId: "tenant", cae: false });
  }
  let misses = 0;
  const ns = timeSync(Math.round(5_000_000 * scale), (iterations) => {
    let j = 0;
    for (let i = 0; i < iterations; i++) {
      if (engine.lookup(keys[j]) === undefined) misses++;
      if (++j === n) j = 0;
    }
  });
  if (misses !== 0) throw new Error(`engine: ${misses} unexpected misses`);
  return ns;
}

// ---------------------------------------------------------------------------------------------
// (b) the full credential's getToken on a hit

class BenchCredential extends TokenCredentialBase {
  constructor(authorityHost = "https://login.microsoftonline.com", options = {}) {
    super(
      {
        credentialName: "BenchCredential",
        authorityHost,
        clientId: "client",
        tenantId: "tenant",
        additionallyAllowedTenants: [],
        disableMultiTenantAuth: false,
      },
      { container: rootContainer, maxCachedTokens: 20_000, ...options },
    );
    this.authorityHost = authorityHost;
    this.network = false;
  }

  async requestToken(request, signal) {
    if (!this.network) return { token: "t", expiresOnTimestamp: Date.now() + HOUR };
    const response = await this.services.http.send(
      {
        method: "POST",
        url: `${this.authorityHost}/${request.tenantId}/oauth2/v2.0/token`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `grant_type=client_credentials&scope=${encodeURIComponent(request.scopes.join(" "))}`,
      },
      signal,
    );
    const body = JSON.parse(response.body);
    return { token: body.access_token, expiresOnTimestamp: Date.now() + body.expires_in * 1000 };
  }
}

async function benchGetToken(credential, n) {
  const scopes = scopesFor(n);
  for (const scope of scopes) await credential.getToken(scope);
  return timeAsync(Math.round(2_000_000 * scale), async (iterations) => {
    let j = 0;
    for (let i = 0; i < iterations; i++) {
      await credential.getToken(scopes[j]);
      if (++j === n) j = 0;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// (d) a naive reference: Map + single flight + background refresh, no events, DI or checks

class NaiveCredential {
  #tokens = new Map();
  #flights = new Map();
  #tenantId = "tenant";
  #prefix = "https://login.microsoftonline.com|client|";

  async getToken(scopes, options) {
    const scopeKey = typeof scopes === "string" ? scopes : [...new Set(scopes)].sort().join(" ");
    const tenantId = options?.tenantId ?? this.#tenantId;
    const cae = options?.enableCae === true;
    const key = `${this.#prefix}${tenantId}|${scopeKey}|${cae ? "cae" : "nocae"}`;
    if (options?.claims === undefined) {
      const entry = this.#tokens.get(key);
      if (entry !== undefined) {
        const now = Date.now();
        if (now < entry.refreshAt) return entry.token;
        if (now < entry.token.expiresOnTimestamp) {
          if (!this.#flights.has(key)) this.#acquire(key).catch(() => {});
          return entry.token;
        }
      }
    }
    return this.#acquire(key);
  }

  #acquire(key) {
    let flight = this.#flights.get(key);
    if (flight === undefined) {
      flight = this.requestToken(key)
        .then((token) => {
          this.#tokens.set(key, { token, refreshAt: token.expiresOnTimestamp - 300_000 });
          return token;
        })
        .finally(() => this.#flights.delete(key));
      this.#flights.set(key, flight);
    }
    return flight;
  }

  async requestToken() {
    return { token: "t", expiresOnTimestamp: Date.now() + HOUR };
  }
}

// ---------------------------------------------------------------------------------------------
// (c) a storm of concurrent misses against a real server

async function storm(concurrency) {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on("end", () => {
      setTimeout(() => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ token_type: "Bearer", access_token: "storm", expires_in: 3600 }));
      }, 20);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  const credential = new BenchCredential(`http://127.0.0.1:${port}`);
  credential.network = true;
  const start = process.hrtime.bigint();
  const tokens = await Promise.all(
    Array.from({ length: concurrency }, () =>
      credential.getToken("https://storm.example.com/.default"),
    ),
  );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const distinct = new Set(tokens.map((t) => t.token)).size;
  await credential.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return { requests, ms, distinct };
}

// ---------------------------------------------------------------------------------------------

const started = process.hrtime.bigint();
console.log(
  `credchain core token cache benchmark (node ${process.versions.node}${QUICK ? ", --quick" : ""})`,
);

console.log("\n(a) engine.lookup(key), cache hit");
for (const n of [1, 1_000, 10_000]) {
  line(`    ${n.toLocaleString("en-US")} key(s)`, `${(await benchEngine(n)).toFixed(1)} ns/call`);
}

console.log("\n(b) credential.getToken(scope), cache hit (await per call)");
const credentialResults = [];
for (const n of [1, 1_000, 10_000]) {
  const ns = await benchGetToken(new BenchCredential(), n);
  credentialResults.push(ns);
  line(`    ${n.toLocaleString("en-US")} scope(s)`, `${ns.toFixed(1)} ns/call`);
}

console.log("\n(d) naive Map + single-flight reference, same loop as (b)");
for (const [index, n] of [1, 1_000, 10_000].entries()) {
  const ns = await benchGetToken(new NaiveCredential(), n);
  const ratio = credentialResults[index] / ns;
  line(
    `    ${n.toLocaleString("en-US")} scope(s)`,
    `${ns.toFixed(1)} ns/call  (credchain/naive ${ratio.toFixed(2)}x)`,
  );
}

console.log(
  "\n(c) 1,000 concurrent misses through the credential, real HTTP server (20 ms answer)",
);
const { requests, ms, distinct } = await storm(1_000);
line("    requests at the server (target 1)", String(requests));
line("    distinct tokens handed out", String(distinct));
line("    wall time for the storm", `${ms.toFixed(1)} ms`);

console.log(`\ntotal ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);
if (requests !== 1) process.exitCode = 1;
