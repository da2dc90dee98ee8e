// @credchain/azure-cli README, "Example". On a machine with `az login` done, drop the stand-in
// lines: here a tiny fake `az`, first on PATH, answers as `az account get-access-token` does.
import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { AzureCliCredential } from "@credchain/azure-cli";

// Stand-in for the Azure CLI (POSIX sh), so the example runs offline.
const bin = await mkdtemp(join(tmpdir(), "fake-az-"));
await writeFile(
  join(bin, "az"),
  `#!/bin/sh\nnow=$(date +%s)\necho '{"accessToken":"fake.cli.token","tokenType":"Bearer",' \\
  '"tenant":"00000000-0000-0000-0000-000000000001","expires_on":'$((now + 3600))'}'\n`,
);
await chmod(join(bin, "az"), 0o755);
process.env.PATH = `${bin}${delimiter}${process.env.PATH}`;

// after `az login`
const credential = new AzureCliCredential();
try {
  const { expiresOnTimestamp } = await credential.getToken("https://management.azure.com/.default");
  console.log("token until", new Date(expiresOnTimestamp).toISOString());
} catch (error) {
  console.log(error.name, error.message); // e.g. CredentialUnavailableError … Run `az login`.
} finally {
  await credential.close();
}
