// @credchain/core README, "Chain credentials": the environment's service principal first, then
// an explicit one (here the local authority's demo client, so it runs offline).
import { ChainedTokenCredential, credentialEvents } from "@credchain/core";
import { ClientSecretCredential, EnvironmentCredential } from "@credchain/client-secret";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  startAuthority,
} from "@credchain/local-authority";

const authority = await startAuthority();

// Lifecycle hooks: payloads carry scopes, tenant, durations and status codes, never a secret.
credentialEvents.on("token:acquired", (e) =>
  console.log(`${e.credential} got a token in ${e.durationInMs} ms`),
);

const credential = new ChainedTokenCredential(
  new EnvironmentCredential(), // skipped (CredentialUnavailableError) when AZURE_* are not set
  new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
    authority: authority.url,
  }),
);
const { token, expiresOnTimestamp } = await credential.getToken(
  "https://graph.microsoft.com/.default",
);
console.log(token.length > 0, new Date(expiresOnTimestamp));
await credential.close();
await authority.close();
