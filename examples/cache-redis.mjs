// @credchain/cache-redis README, "Example". With no Redis listening, getToken still works (from
// the network, with one cache:error event); with one, replicas sharing the key share the token.
import { redisCachePlugin } from "@credchain/cache-redis";
import { ClientSecretCredential } from "@credchain/client-secret";
import { usePlugin } from "@credchain/core";

const { AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET } = process.env;

// Once, at start-up, before creating credentials. The key is the same on every replica.
usePlugin(
  redisCachePlugin({
    url: process.env.CREDCHAIN_REDIS_URL ?? "redis://127.0.0.1:6379", // the default, too
    encryptionKey: Buffer.from(process.env.CREDCHAIN_CACHE_KEY, "base64"), // default: the same
  }),
);

const credential = new ClientSecretCredential(
  AZURE_TENANT_ID,
  AZURE_CLIENT_ID,
  AZURE_CLIENT_SECRET,
  {
    cachePersistenceOptions: { name: "my-service" },
  },
);
const { token } = await credential.getToken("https://vault.azure.net/.default");
console.log("token length:", token.length);
await credential.close();
