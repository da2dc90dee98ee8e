// The root README's quick start. Reads the service principal from the environment:
// AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET (and AZURE_AUTHORITY_HOST, which
// scripts/run-examples.mjs points at the local authority so this runs offline).
import { ClientSecretCredential } from "@credchain/client-secret";

const credential = new ClientSecretCredential(
  process.env.AZURE_TENANT_ID,
  process.env.AZURE_CLIENT_ID,
  process.env.AZURE_CLIENT_SECRET,
);
const { token, expiresOnTimestamp } = await credential.getToken(
  "https://management.azure.com/.default",
);
console.log(`got a token of ${token.length} characters, valid until`, new Date(expiresOnTimestamp));
await credential.close();
