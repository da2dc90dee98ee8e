// @credchain/managed-identity README, "Example": App Service's endpoint, emulated by the local
// authority.
import { startAuthority } from "@credchain/local-authority";
import { ManagedIdentityCredential } from "@credchain/managed-identity";

const authority = await startAuthority();
// What App Service would set: { IDENTITY_ENDPOINT, IDENTITY_HEADER }.
Object.assign(process.env, authority.managedIdentity.environment("app-service"));

const credential = new ManagedIdentityCredential(); // system-assigned
try {
  const { token, expiresOnTimestamp } = await credential.getToken(
    "https://vault.azure.net/.default",
  );
  console.log(token.split(".").length, new Date(expiresOnTimestamp).toISOString()); // 3 …
} finally {
  await credential.close();
  await authority.close();
}
