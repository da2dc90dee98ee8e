// @credchain/client-secret README, "Against Microsoft Entra ID": TypeScript with `await using`,
// compiled with examples/tsconfig.json (shown in that README) for Node 20.
import { ClientSecretCredential } from "@credchain/client-secret";

const { AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET } = process.env;
if (!AZURE_TENANT_ID || !AZURE_CLIENT_ID || !AZURE_CLIENT_SECRET) {
  throw new Error("Set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET.");
}

// TypeScript compiles `await using` for Node 20; it calls close() at the end of the block.
await using credential = new ClientSecretCredential(
  AZURE_TENANT_ID, // "contoso.onmicrosoft.com" or the tenant's GUID
  AZURE_CLIENT_ID, // the app registration's application (client) id
  AZURE_CLIENT_SECRET, // the secret's *Value*, not its Secret ID
);
const { token, expiresOnTimestamp } = await credential.getToken(
  "https://management.azure.com/.default",
);
const info = await credential.getTokenInfo("https://vault.azure.net/.default"); // seconds
console.log(token.length > 0, new Date(expiresOnTimestamp), info.expiresOn);
