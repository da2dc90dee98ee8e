import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { basename, dirname, isAbsolute, resolve } from "node:path";
import { ClientAuthenticationError } from "@credchain/core";

/** Azure Arc's secret files are short; anything larger is not one. */
export const ARC_SECRET_MAX_BYTES = 4096;

/**
 * Where the Azure Arc agent (himds) writes its challenge files: root- (or admin-) owned, so only
 * a process the agent trusts can read them. `undefined` on platforms Arc does not run on.
 */
export function platformArcTokenDirectory(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  if (platform === "linux") return "/var/opt/azcmagent/tokens";
  if (platform === "win32") {
    const programData = env["ProgramData"];
    return programData === undefined || programData === ""
      ? undefined
      : `${programData}\\AzureConnectedMachineAgent\\Tokens`;
  }
  return undefined;
}

/**
 * The Azure Arc agent's executable: where it exists, the machine is Arc-enabled even when a
 * service does not see the agent's `IDENTITY_ENDPOINT` / `IMDS_ENDPOINT` (systemd units do not
 * read the machine-wide environment file).
 */
export function platformArcAgentPath(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  if (platform === "linux") return "/opt/azcmagent/bin/himds";
  if (platform === "win32") {
    const programFiles = env["ProgramFiles"];
    return programFiles === undefined || programFiles === ""
      ? undefined
      : `${programFiles}\\AzureConnectedMachineAgent\\himds.exe`;
  }
  return undefined;
}

/** The agent's endpoint when only its executable says Arc is there. */
export const DEFAULT_ARC_ENDPOINT = "http://127.0.0.1:40342/metadata/identity/oauth2/token";

function refuse(what: string, realm: string): never {
  throw new ClientAuthenticationError(
    `ManagedIdentityCredential (Azure Arc): the endpoint's challenge names the file ${JSON.stringify(realm.slice(0, 300))}, ` +
      `which ${what}. Only a ".key" file of at most ${ARC_SECRET_MAX_BYTES} bytes directly in the Arc agent's ` +
      "token directory is read: anything else could make this process disclose another file's content.",
  );
}

/**
 * Reads the secret of an Azure Arc `WWW-Authenticate: Basic realm=<file>` challenge, after
 * checking the file is one the agent could have written: an absolute path directly in
 * `tokenDirectory`, named `*.key`, a regular file (no symbolic link followed) of at most 4096
 * bytes. The endpoint picks the path, so without these checks anything on `IDENTITY_ENDPOINT`
 * could make us send, say, a private key to it.
 */
export async function readArcSecret(realm: string, tokenDirectory: string): Promise<string> {
  if (!isAbsolute(realm)) refuse("is not an absolute path", realm);
  const file = resolve(realm);
  if (dirname(file) !== resolve(tokenDirectory)) {
    refuse(`is not directly in ${tokenDirectory}`, realm);
  }
  const name = basename(file);
  if (!name.endsWith(".key") || name.length <= ".key".length) refuse("is not a .key file", realm);
  let handle;
  try {
    // O_NOFOLLOW: the name itself must not be a symbolic link to somewhere else (0 on Windows).
    handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    throw new ClientAuthenticationError(
      `ManagedIdentityCredential (Azure Arc): could not open the challenge file ${file} ` +
        `(${(error as { code?: string }).code ?? "error"}). The process must run as a user in the ` +
        "himds group (Linux) or the Hybrid agent extension applications group (Windows).",
      { cause: error },
    );
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) refuse("is not a regular file", realm);
    if (stats.size > ARC_SECRET_MAX_BYTES) refuse(`is ${stats.size} bytes long`, realm);
    const buffer = Buffer.alloc(ARC_SECRET_MAX_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > ARC_SECRET_MAX_BYTES) refuse("grew past the limit while being read", realm);
    const secret = buffer.subarray(0, bytesRead).toString("utf8").trim();
    if (secret === "") refuse("is empty", realm);
    return secret;
  } finally {
    await handle.close();
  }
}
