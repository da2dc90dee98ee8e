// One replica of a service that shares its token cache through Redis. Run it in two terminals
// against one Redis and one authority: the first asks the authority for a token, the second gets
// that same token from Redis with no request of its own (see README.md, "Two replicas").
//
// Configuration comes from the environment, as a deployed service would get it:
//   CREDCHAIN_REDIS_URL   the shared Redis (default redis://127.0.0.1:6379)
//   CREDCHAIN_CACHE_KEY   base64 of 32 bytes, the same on every replica (`openssl rand -base64 32`)
//   AZURE_AUTHORITY_HOST, AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET
import { redisCachePlugin } from "@credchain/cache-redis";
import { EnvironmentCredential } from "@credchain/client-secret";
import { credentialEvents, usePlugin } from "@credchain/core";

usePlugin(redisCachePlugin());

let source = "memory";
credentialEvents.on("token:acquired", (event) => {
  if (event.source === "network") source = "network";
});
credentialEvents.on("token:cache-hit", (event) => {
  if (event.source === "persistent") source = "persistent";
});

const credential = new EnvironmentCredential({
  cachePersistenceOptions: { name: "two-replicas-example" },
});
const scope = process.argv[2] ?? "https://vault.azure.net/.default";
const token = await credential.getToken(scope);
await credential.close();

const from = source === "persistent" ? "Redis (another replica's token)" : source;
console.log(`replica ${process.pid}: got a token for ${scope} from ${from}`);
console.log(`  expires ${new Date(token.expiresOnTimestamp).toISOString()}`);
