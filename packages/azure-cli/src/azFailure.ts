import { ClientAuthenticationError, CredentialUnavailableError } from "@credchain/core";
import type { AzResult } from "./runAz.js";

const JWT_LIKE = /eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){0,2}/g;

/** az's stderr for a message: one line, at most 300 characters, nothing token-shaped. */
function excerpt(stderr: string): string {
  const text = stderr.replace(JWT_LIKE, "[REDACTED]").replace(/\s+/g, " ").trim();
  return text.length <= 300 ? text : `${text.slice(0, 300)}…`;
}

const NOT_LOGGED_IN = /az login|az account set|not logged in|no subscriptions? found/i;
const UNKNOWN_TENANT = /AADSTS(?:90002|50020|700016|50076|50079)|tenant\b.*\bnot found/i;
// cmd.exe's and sh's words for a command that is not there.
const NOT_INSTALLED =
  /not recognized as an internal or external command|az: (?:command )?not found/i;

/** The error for an `az` run that gave no token: unavailable when there is something to run. */
export function azFailure(
  result: AzResult,
  tenantId: string,
  timeoutInMs: number,
): CredentialUnavailableError | ClientAuthenticationError {
  const login = tenantId === "" ? "az login" : `az login --tenant ${tenantId}`;
  if (result.outcome === "missing" || NOT_INSTALLED.test(result.stderr)) {
    return new CredentialUnavailableError(
      "AzureCliCredential: the Azure CLI (az) was not found on PATH. Install it " +
        `(https://aka.ms/azure-cli), run \`${login}\`, and make sure \`az\` is on this process's PATH.`,
    );
  }
  if (result.outcome === "timeout") {
    return new CredentialUnavailableError(
      `AzureCliCredential: \`az account get-access-token\` did not finish within ${timeoutInMs} ms and was stopped. ` +
        "Run it yourself to see whether it waits for input, or raise processTimeoutInMs.",
    );
  }
  if (UNKNOWN_TENANT.test(result.stderr) && tenantId !== "") {
    return new CredentialUnavailableError(
      `AzureCliCredential: the Azure CLI is not signed in to tenant ${tenantId}. Run \`${login}\`.`,
    );
  }
  if (NOT_LOGGED_IN.test(result.stderr)) {
    return new CredentialUnavailableError(
      `AzureCliCredential: the Azure CLI is not signed in. Run \`${login}\`.`,
    );
  }
  const said = excerpt(result.stderr);
  return new ClientAuthenticationError(
    `AzureCliCredential: \`az account get-access-token\` failed (exit code ${String(result.exitCode)})` +
      `${said === "" ? "" : `: ${said}`}`,
  );
}
