import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/**
 * A real `az` executable for `--credential azure-cli`: a node script that behaves like an `az`
 * logged in as the local authority's demo service principal. It answers
 * `az account get-access-token --resource R [--tenant T]` with a token it gets from the authority
 * (so the token is a real JWT for R) in az's JSON shape.
 */
const SCRIPT = (node: string): string => `#!${node}
const args = process.argv.slice(2);
const at = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const resource = at("--resource");
const tenant = at("--tenant") ?? process.env.FAKE_AZ_TENANT;
const form = new URLSearchParams({
  grant_type: "client_credentials",
  client_id: process.env.FAKE_AZ_CLIENT_ID,
  client_secret: process.env.FAKE_AZ_CLIENT_SECRET,
  scope: resource + "/.default",
});
fetch(process.env.FAKE_AZ_AUTHORITY + "/" + tenant + "/oauth2/v2.0/token", { method: "POST", body: form })
  .then((response) => response.json())
  .then((body) => {
    if (typeof body.access_token !== "string") {
      process.stderr.write("ERROR: " + (body.error_description ?? "no token") + "\\n");
      process.exitCode = 1;
      return;
    }
    const expiresOn = Math.floor(Date.now() / 1000) + body.expires_in;
    process.stdout.write(JSON.stringify({
      accessToken: body.access_token,
      expiresOn: "2000-01-01 00:00:00.000000",
      expires_on: expiresOn,
      subscription: "00000000-0000-0000-0000-000000000000",
      tenant,
      tokenType: "Bearer",
    }));
  });
`;

let directory: string | undefined;

/** The directory holding the fake `az`, made once per test process. */
export function fakeAzDirectory(): string {
  if (directory === undefined) {
    directory = mkdtempSync(join(tmpdir(), "credchain-cli-fake-az-"));
    const script = join(directory, "az");
    writeFileSync(script, SCRIPT(process.execPath));
    chmodSync(script, 0o755);
  }
  return directory;
}

/** PATH with the fake `az` first. */
export function pathWithFakeAz(): string {
  return `${fakeAzDirectory()}${delimiter}${process.env["PATH"] ?? ""}`;
}
