// @credchain/default README, "Example": the chain finds the local authority's IMDS emulator.
import { credentialEvents } from "@credchain/core";
import { DefaultAzureCredential } from "@credchain/default";
import { startAuthority } from "@credchain/local-authority";

const authority = await startAuthority();
// What an AKS node or VM looks like to the credential (never 169.254.169.254 in a test).
Object.assign(process.env, authority.managedIdentity.environment("imds"));
// No service principal in this environment, so EnvironmentCredential is skipped.
for (const name of ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"]) {
  delete process.env[name];
}

credentialEvents.on("credential:select", ({ selected, skipped }) =>
  console.log(`using ${selected}; skipped: ${skipped.length}`),
); // using ManagedIdentityCredential; skipped: 2
const credential = new DefaultAzureCredential();
try {
  const { token } = await credential.getToken("https://storage.azure.com/.default");
  console.log(token.split(".").length); // 3
} finally {
  await credential.close();
  await authority.close();
}
