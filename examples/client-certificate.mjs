// @credchain/client-certificate README, "Example: a certificate, against the local authority".
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClientCertificateCredential } from "@credchain/client-certificate";
import {
  createClientCertificate,
  DEMO_TENANT_ID,
  startAuthority,
} from "@credchain/local-authority";

// What the app registration holds (the public certificate) and what the service holds (the PEM).
const cert = await createClientCertificate({ password: "correct horse" });
const certificatePath = join(await mkdtemp(join(tmpdir(), "certs-")), "app.pem");
await writeFile(certificatePath, cert.pem, { mode: 0o600 });
const authority = await startAuthority({
  clients: [{ clientId: "my-app", certificates: [cert.certificate] }],
});

const credential = new ClientCertificateCredential(
  DEMO_TENANT_ID,
  "my-app",
  { certificatePath, certificatePassword: "correct horse" },
  { authority: authority.url }, // omit in production: login.microsoftonline.com
);
const { token, expiresOnTimestamp } = await credential.getToken("https://vault.azure.net/.default");
console.log(token.slice(0, 20), new Date(expiresOnTimestamp));
await credential.close();
await authority.close();
