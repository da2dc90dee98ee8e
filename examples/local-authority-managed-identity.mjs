// test/authority/README.md, "Managed identity endpoints": IMDS, emulated on the loopback server.
import { ManagedIdentityCredential } from "@credchain/managed-identity";
import { startAuthority } from "@credchain/local-authority";

const authority = await startAuthority();
Object.assign(process.env, authority.managedIdentity.environment("imds"));
const credential = new ManagedIdentityCredential();
const { token } = await credential.getToken("https://vault.azure.net/.default"); // a real JWT
console.log(token.split(".").length); // 3
await credential.close();
await authority.close();
