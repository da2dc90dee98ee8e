// @credchain/client-secret README, "Try it offline": no network, no Azure account.
import {
  startAuthority,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
} from "@credchain/local-authority";
import { ClientSecretCredential } from "@credchain/client-secret";

const authority = await startAuthority(); // http://127.0.0.1:<port>
const credential = new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
  authority: authority.url, // plain http is allowed for loopback only
});
try {
  const scope = "https://graph.microsoft.com/.default";
  const first = await credential.getToken(scope); // network
  const second = await credential.getToken(scope); // memory cache
  console.log(first.tokenType, new Date(first.expiresOnTimestamp).toISOString());
  console.log("cached:", first.token === second.token, "requests:", authority.tokenRequestCount());
} finally {
  await credential.close();
  await authority.close();
}
