// Root README, "DefaultAzureCredential": one credential for Azure and a developer's machine. The
// example runner sets AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and
// AZURE_AUTHORITY_HOST (a local authority), so the chain's first link, EnvironmentCredential, answers.
import { DefaultAzureCredential } from "@credchain/default";

const credential = new DefaultAzureCredential();
credential.events.on("credential:select", ({ selected }) => console.log("selected:", selected));
try {
  const { token } = await credential.getToken("https://management.azure.com/.default");
  console.log("token length:", token.length); // selected: EnvironmentCredential, then the length
} finally {
  await credential.close();
}
