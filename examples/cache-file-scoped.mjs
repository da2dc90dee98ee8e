// @credchain/cache-file README: the cache for some credentials only, through a child container.
import { ClientSecretCredential } from "@credchain/client-secret";
import { rootContainer } from "@credchain/core";
import { fileCachePlugin } from "@credchain/cache-file";

const container = rootContainer.createChildContainer();
fileCachePlugin().register(container);
const cached = new ClientSecretCredential(
  process.env.AZURE_TENANT_ID,
  process.env.AZURE_CLIENT_ID,
  process.env.AZURE_CLIENT_SECRET,
  { container, cachePersistenceOptions: {} }, // the file cache, default name "msal.cache"
);
const memoryOnly = new ClientSecretCredential(
  process.env.AZURE_TENANT_ID,
  process.env.AZURE_CLIENT_ID,
  process.env.AZURE_CLIENT_SECRET,
); // the root container: no plugin, memory only
await cached.getToken("https://vault.azure.net/.default");
await memoryOnly.getToken("https://vault.azure.net/.default");
await cached.close();
await memoryOnly.close();
