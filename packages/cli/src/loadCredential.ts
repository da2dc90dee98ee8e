import {
  credentialKinds,
  type CliCredentialSettings,
  type CredentialConstructor,
  type CredentialKindName,
} from "./credentialKinds.js";
import { CredentialPackageMissingError } from "./CredentialPackageMissingError.js";
import { CredentialUnavailableError, type TokenCredential } from "@credchain/core";

/** Whether `error` says that `packageName` itself (not something it imports) was not found. */
function isMissingPackage(error: unknown, packageName: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    code === "ERR_MODULE_NOT_FOUND" &&
    typeof message === "string" &&
    message.includes(`'${packageName}'`)
  );
}

/**
 * Loads the class behind `--credential <name>` with a dynamic import by package name, so
 * `@credchain/cli` runs with only the credential packages that are installed, and constructs it.
 * A missing package is a `CredentialPackageMissingError` naming it.
 */
export async function loadCredential(
  name: CredentialKindName,
  settings: CliCredentialSettings,
): Promise<TokenCredential> {
  const kind = credentialKinds[name];
  let module: Record<string, unknown>;
  try {
    module = (await import(kind.packageName)) as Record<string, unknown>;
  } catch (error) {
    if (isMissingPackage(error, kind.packageName)) {
      throw new CredentialPackageMissingError(name, kind.packageName, error);
    }
    throw error;
  }
  const constructor = module[kind.exportName];
  if (typeof constructor !== "function") {
    throw new CredentialUnavailableError(
      `${kind.packageName} does not export ${kind.exportName}; install a newer ${kind.packageName}.`,
    );
  }
  return new (constructor as CredentialConstructor)(kind.options(settings));
}

/** Whether the package behind `--credential <name>` can be loaded; for `credchain doctor`. */
export async function credentialPackageInstalled(name: CredentialKindName): Promise<boolean> {
  try {
    await import(credentialKinds[name].packageName);
    return true;
  } catch {
    return false;
  }
}
