// @credchain/client-certificate README, "Example: your own assertion": the assertion is another
// identity provider's token, here one minted by an issuer the local authority trusts.
import { ClientAssertionCredential } from "@credchain/client-certificate";
import { createWorkloadIssuer, DEMO_TENANT_ID, startAuthority } from "@credchain/local-authority";

const provider = await createWorkloadIssuer(); // stands in for your OIDC provider
const subject = "repo:contoso/payments:ref:refs/heads/main";
const authority = await startAuthority({
  clients: [{ clientId: "my-app", federatedCredentials: [provider.federatedCredential(subject)] }],
});

const credential = new ClientAssertionCredential(
  DEMO_TENANT_ID,
  "my-app",
  async ({ abortSignal }) => {
    // In production, e.g.: (await fetch(process.env.MY_OIDC_TOKEN_URL, { signal: abortSignal })).text()
    abortSignal?.throwIfAborted();
    return provider.mint({ subject });
  },
  { authority: authority.url },
);
const { token } = await credential.getToken("https://vault.azure.net/.default");
console.log(token.split(".").length); // 3
await credential.close();
await authority.close();
