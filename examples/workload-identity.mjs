// @credchain/client-certificate README, "Example: workload identity, offline".
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WorkloadIdentityCredential } from "@credchain/client-certificate";
import { createWorkloadIssuer, DEMO_TENANT_ID, startAuthority } from "@credchain/local-authority";

const cluster = await createWorkloadIssuer();
const subject = "system:serviceaccount:payments:api";
const authority = await startAuthority({
  clients: [{ clientId: "my-app", federatedCredentials: [cluster.federatedCredential(subject)] }],
});
// What the kubelet does: write (and keep rewriting) the projected token.
const tokenFilePath = join(await mkdtemp(join(tmpdir(), "sa-")), "token");
await writeFile(tokenFilePath, cluster.mint({ subject }));

const credential = new WorkloadIdentityCredential({
  tenantId: DEMO_TENANT_ID, // default AZURE_TENANT_ID
  clientId: "my-app", // default AZURE_CLIENT_ID
  tokenFilePath, // default AZURE_FEDERATED_TOKEN_FILE
  authority: authority.url,
});
console.log((await credential.getToken("https://storage.azure.com/.default")).token.slice(0, 20));
await credential.close();
await authority.close();
