// Benchmarks of @credchain/client-certificate against the built package (run `pnpm build` first):
//   1. µs per certificate assertion signature (PS256, RSA-2048 and RSA-4096), one at a time and
//      64 at once (signing runs on the libuv pool)
//   2. the cache-hit cost of every credential of this package next to ClientSecretCredential's:
//      the same engine answers, so the numbers should match; a hit never signs or reads a file
// Printed, not asserted. Usage: node packages/client-certificate/bench/signature.bench.mjs [--quick]
import { writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClientSecretCredential } from "@credchain/client-secret";
import {
  createClientCertificate,
  createWorkloadIssuer,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  startAuthority,
} from "@credchain/local-authority";
import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  WorkloadIdentityCredential,
} from "../dist/index.js";
import { parseCertificatePem } from "../dist/parseCertificatePem.js";
import { signAssertion } from "../dist/signAssertion.js";
import { SigningCertificate } from "../dist/SigningCertificate.js";

const QUICK = process.argv.includes("--quick");
const scale = QUICK ? 0.1 : 1;
const SCOPE = "https://vault.azure.net/.default";

function line(label, value) {
  console.log(`${label.padEnd(64)} ${value}`);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// ---- 1. signatures ------------------------------------------------------------------------------

async function benchSignatures(bits) {
  const { pem } = await createClientCertificate({ keySize: bits });
  const signing = new SigningCertificate(parseCertificatePem(pem, undefined, "bench"), "bench");
  const claims = {
    aud: "https://login.microsoftonline.com/t/oauth2/v2.0/token",
    clientId: "c",
    now: Date.now(),
  };
  const rounds = [];
  const cpu = [];
  const n = Math.max(20, Math.round((bits === 2048 ? 400 : 100) * scale));
  for (let round = 0; round < 5; round++) {
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await signAssertion(signing, claims, false);
    rounds.push(Number(process.hrtime.bigint() - started) / n / 1000);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / n);
  }
  // CPU time (this process, libuv pool included) is what a signature costs; wall time also shows
  // how busy the machine is.
  line(
    `PS256 assertion, RSA-${bits}, one at a time`,
    `${median(rounds).toFixed(0)} µs wall, ${median(cpu).toFixed(0)} µs CPU per signature`,
  );
  const concurrent = [];
  for (let round = 0; round < 5; round++) {
    const started = process.hrtime.bigint();
    await Promise.all(Array.from({ length: 64 }, () => signAssertion(signing, claims, true)));
    concurrent.push(Number(process.hrtime.bigint() - started) / 64 / 1000);
  }
  line(
    `PS256 assertion + x5c, RSA-${bits}, 64 at once (libuv pool)`,
    `${median(concurrent).toFixed(0)} µs per signature (wall / 64)`,
  );
}

// ---- 2. cache hits ------------------------------------------------------------------------------

async function hitNs(credential, iterations) {
  await credential.getToken(SCOPE);
  const rounds = [];
  for (let round = 0; round < 5; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await credential.getToken(SCOPE);
    rounds.push(Number(process.hrtime.bigint() - started) / iterations);
  }
  return median(rounds);
}

async function benchHits() {
  const [cert, issuer] = await Promise.all([createClientCertificate(), createWorkloadIssuer()]);
  const authority = await startAuthority({
    clients: [
      { clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET },
      { clientId: "bench-certificate", certificates: [cert.certificate] },
      { clientId: "bench-workload", federatedCredentials: [issuer.federatedCredential()] },
    ],
  });
  const directory = await mkdtemp(join(tmpdir(), "credchain-bench-"));
  const certificatePath = join(directory, "cert.pem");
  const tokenFilePath = join(directory, "token");
  await writeFile(certificatePath, cert.pem);
  await writeFile(tokenFilePath, issuer.mint());
  const options = { authority: authority.url };
  const credentials = [
    [
      "ClientSecretCredential (reference)",
      new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, options),
    ],
    [
      "ClientCertificateCredential (file)",
      new ClientCertificateCredential(
        DEMO_TENANT_ID,
        "bench-certificate",
        certificatePath,
        options,
      ),
    ],
    [
      "ClientAssertionCredential",
      new ClientAssertionCredential(DEMO_TENANT_ID, "bench-workload", () => issuer.mint(), options),
    ],
    [
      "WorkloadIdentityCredential",
      new WorkloadIdentityCredential({
        ...options,
        tenantId: DEMO_TENANT_ID,
        clientId: "bench-workload",
        tokenFilePath,
      }),
    ],
  ];
  const iterations = Math.round(1_000_000 * scale);
  // Interleaved twice, so a warm-up or GC phase does not favour whichever runs first.
  const results = new Map();
  for (let pass = 0; pass < 2; pass++) {
    for (const [name, credential] of credentials) {
      const ns = await hitNs(credential, iterations);
      results.set(name, Math.min(results.get(name) ?? Infinity, ns));
    }
  }
  for (const [name] of credentials)
    line(`cache hit, getToken: ${name}`, `${results.get(name).toFixed(0)} ns`);
  line(
    "token requests for all of the above (one miss per credential)",
    String(authority.tokenRequestCount()),
  );
  await Promise.all(credentials.map(([, c]) => c.close()));
  await authority.close();
  await rm(directory, { recursive: true, force: true });
}

await benchSignatures(2048);
await benchSignatures(4096);
await benchHits();
