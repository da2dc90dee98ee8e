// @credchain/cache-file README, "Example": a persistent, encrypted token cache. The key comes from
// CREDCHAIN_CACHE_KEY (else the OS keyring); the directory from CREDCHAIN_CACHE_DIR (else the
// per-user cache directory), or pass { directory } to fileCachePlugin.
import { ClientSecretCredential } from "@credchain/client-secret";
import { usePlugin } from "@credchain/core";
import { fileCachePlugin } from "@credchain/cache-file";

// Once, at start-up, before creating credentials.
usePlugin(fileCachePlugin());

const credential = new ClientSecretCredential(
  process.env.AZURE_TENANT_ID,
  process.env.AZURE_CLIENT_ID,
  process.env.AZURE_CLIENT_SECRET,
  { cachePersistenceOptions: { name: "my-service" } },
);

// The first process asks Entra ID; later processes get the token from the file.
const { token, expiresOnTimestamp } = await credential.getToken("https://vault.azure.net/.default");
console.log(token.length > 0, new Date(expiresOnTimestamp));
await credential.close(); // writes anything still queued
