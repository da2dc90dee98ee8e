// The credchain demo: `pnpm demo`. Starts a local Entra-compatible authority on 127.0.0.1 and
// walks through what a service sees. Runs offline in a few seconds.
import { performance } from "node:perf_hooks";
import { inspect } from "node:util";
import { ChainedTokenCredential, credentialEvents } from "@credchain/core";
import { ClientSecretCredential, EnvironmentCredential } from "@credchain/client-secret";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, startAuthority } from "@credchain/local-authority";

// The demo must never reach a real tenant, and shows multi-tenant rules as they are by default:
// hide any AZURE_* settings of this shell.
for (const name of [
  "AZURE_TENANT_ID",
  "AZURE_CLIENT_ID",
  "AZURE_CLIENT_SECRET",
  "AZURE_AUTHORITY_HOST",
  "AZURE_ADDITIONALLY_ALLOWED_TENANTS",
  "AZURE_IDENTITY_DISABLE_MULTITENANTAUTH",
]) {
  delete process.env[name];
}

const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const step = (title) => console.log(`\n${bold(title)}`);
const claimsOf = (token) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
const ms = (start) => `${(performance.now() - start).toFixed(2)} ms`;
const us = (start) => `${((performance.now() - start) * 1000).toFixed(1)} µs`;

const authority = await startAuthority();
console.log(`credchain demo: local Entra-compatible authority at ${authority.url}`);

const TENANT = "contoso-demo";
const SCOPE = "https://management.azure.com/.default";
let requests = 0;
credentialEvents.on("http:request", () => requests++);

const credential = new ChainedTokenCredential(
  new EnvironmentCredential(), // no AZURE_* variables: unavailable, so the chain moves on
  new ClientSecretCredential(TENANT, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
    authority: authority.url,
    additionallyAllowedTenants: ["fabrikam-demo"],
  }),
);

try {
  step("1. A chain: EnvironmentCredential (unavailable) -> ClientSecretCredential");
  let start = performance.now();
  const first = await credential.getToken(SCOPE);
  const claims = claimsOf(first.token);
  console.log(`   network:   token for aud=${claims.aud} tid=${claims.tid} in ${ms(start)}`);
  start = performance.now();
  const again = await credential.getToken(SCOPE);
  console.log(
    `   cache hit: ${again.token === first.token ? "same token" : "a new token?!"} in ${us(start)} (first call, cold code)`,
  );
  start = performance.now();
  for (let i = 0; i < 10_000; i++) await credential.getToken(SCOPE);
  console.log(
    `   cache hit: ${((performance.now() - start) / 10).toFixed(2)} µs mean over 10,000 calls through the chain`,
  );
  console.log(
    `   expires ${new Date(first.expiresOnTimestamp).toISOString()}, refresh from ${new Date(first.refreshAfterTimestamp).toISOString()}`,
  );

  step("2. 1,000 concurrent callers for a scope nobody has asked for yet");
  requests = 0;
  start = performance.now();
  const tokens = await Promise.all(
    Array.from({ length: 1_000 }, () => credential.getToken("https://vault.azure.net/.default")),
  );
  console.log(
    `   ${tokens.length} callers answered by ${requests} request(s) in ${ms(start)}; all got the same token: ${new Set(tokens.map((t) => t.token)).size === 1}`,
  );

  step("3. getTokenInfo: the seed's shape, timestamps in seconds");
  const info = await credential.getTokenInfo(SCOPE);
  console.log(
    `   { tokenType: ${info.tokenType}, expiresOn: ${info.expiresOn}, refreshOn: ${info.refreshOn} }`,
  );

  step("4. A second tenant, allowed by additionallyAllowedTenants");
  const other = await credential.getToken(SCOPE, { tenantId: "fabrikam-demo" });
  console.log(
    `   token for tid=${claimsOf(other.token).tid}; a tenant not on the list is refused before any request:`,
  );
  await credential.getToken(SCOPE, { tenantId: "northwind" }).catch((error) => {
    console.log(`   ${error.name}: ${error.message.split(". ")[0]}.`);
  });

  step("5. A wrong secret");
  const wrong = new ClientSecretCredential(TENANT, DEMO_CLIENT_ID, "not-the-secret", {
    authority: authority.url,
  });
  await wrong.getToken(SCOPE).catch((error) => {
    console.log(
      `   ${error.name} (status ${error.statusCode}, ${error.errorCode}, AADSTS ${error.errorCodes?.join(",")})`,
    );
    console.log(`   ${error.message.split("\n")[0]}`);
    console.log(
      `   correlationId ${error.correlationId}; the secret appears nowhere: ${!inspect(error, { depth: Infinity, showHidden: true }).includes("not-the-secret")}`,
    );
  });
  await wrong.close();
  console.log(
    `\nDone: ${authority.tokenRequestCount()} token requests reached the authority in all.`,
  );
} finally {
  await credential.close();
  await authority.close();
}
