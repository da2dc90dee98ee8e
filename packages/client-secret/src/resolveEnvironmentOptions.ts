import { validateTenantId } from "@credchain/core";
import type { ClientSecretCredentialOptions } from "./ClientSecretCredentialOptions.js";
import { normalizeAuthority } from "./normalizeAuthority.js";

/** The variables a service principal with a client secret needs, in the order they are named. */
export const REQUIRED_VARIABLES = [
  "AZURE_TENANT_ID",
  "AZURE_CLIENT_ID",
  "AZURE_CLIENT_SECRET",
] as const;

/** Variables of other Azure sign-in methods, named in the message so a user sees why they are ignored. */
const UNSUPPORTED_VARIABLES = ["AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_USERNAME"] as const;

/** The environment describes a complete service principal. */
export interface ConfiguredEnvironment {
  readonly kind: "configured";
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The caller's options, with the environment's authority and allowed tenants merged in. */
  readonly options: ClientSecretCredentialOptions;
}

/** The environment lacks something: the credential is unavailable, and says why. */
export interface IncompleteEnvironment {
  readonly kind: "incomplete";
  readonly missing: readonly string[];
  /** The full `CredentialUnavailableError` message. */
  readonly message: string;
}

function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  // Set-but-blank is how unsetting often looks in container specs and .env files: treat as unset.
  return value === undefined || value.trim() === "" ? undefined : value;
}

function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1] ?? ""}`;
}

function incompleteMessage(missing: readonly string[], env: NodeJS.ProcessEnv): string {
  const other = UNSUPPORTED_VARIABLES.filter((name) => read(env, name) !== undefined);
  return (
    `EnvironmentCredential is unavailable: the environment variable${missing.length === 1 ? "" : "s"} ` +
    `${listNames(missing)} ${missing.length === 1 ? "is" : "are"} not set. Set AZURE_TENANT_ID, ` +
    "AZURE_CLIENT_ID and AZURE_CLIENT_SECRET to authenticate as a service principal with a client secret." +
    (other.length === 0
      ? ""
      : ` (${listNames(other)} ${other.length === 1 ? "is" : "are"} set, but this credential supports client secrets only.)`)
  );
}

/**
 * Reads the environment once, for `EnvironmentCredential`. Missing variables make the credential
 * unavailable (a chain moves on); a variable that is set but invalid is a configuration mistake
 * and throws a `TypeError` naming the variable, as the Azure SDKs do at construction.
 */
export function resolveEnvironmentOptions(
  options: ClientSecretCredentialOptions | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ConfiguredEnvironment | IncompleteEnvironment {
  const tenantId = read(env, "AZURE_TENANT_ID");
  const clientId = read(env, "AZURE_CLIENT_ID");
  const clientSecret = read(env, "AZURE_CLIENT_SECRET");
  if (tenantId !== undefined) validateTenantId(tenantId, "EnvironmentCredential: AZURE_TENANT_ID");

  // Options are checked even when the environment is incomplete, so a mistake in code shows up
  // on the first run, not on the first machine that happens to have the variables set.
  const authorityVariable = read(env, "AZURE_AUTHORITY_HOST");
  const authority =
    options?.authority !== undefined
      ? normalizeAuthority(options.authority, "EnvironmentCredential: options.authority", tenantId)
      : authorityVariable === undefined
        ? undefined
        : normalizeAuthority(
            authorityVariable,
            "EnvironmentCredential: AZURE_AUTHORITY_HOST",
            tenantId,
          );
  const fromOptions: unknown = options?.additionallyAllowedTenants;
  if (fromOptions !== undefined) {
    if (!Array.isArray(fromOptions)) {
      throw new TypeError(
        'EnvironmentCredential: options.additionallyAllowedTenants must be an array of tenant ids, or ["*"] to allow any tenant.',
      );
    }
    fromOptions.forEach((entry: unknown, index) => {
      if (entry !== "*") {
        validateTenantId(
          entry,
          `EnvironmentCredential: options.additionallyAllowedTenants[${index}]`,
        );
      }
    });
  }

  const fromEnv = (read(env, "AZURE_ADDITIONALLY_ALLOWED_TENANTS") ?? "")
    .split(";")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  for (const entry of fromEnv) {
    if (entry !== "*") {
      validateTenantId(
        entry,
        "EnvironmentCredential: an entry of AZURE_ADDITIONALLY_ALLOWED_TENANTS",
      );
    }
  }

  if (tenantId === undefined || clientId === undefined || clientSecret === undefined) {
    const values = {
      AZURE_TENANT_ID: tenantId,
      AZURE_CLIENT_ID: clientId,
      AZURE_CLIENT_SECRET: clientSecret,
    };
    const missing = REQUIRED_VARIABLES.filter((name) => values[name] === undefined);
    return { kind: "incomplete", missing, message: incompleteMessage(missing, env) };
  }

  const merged: ClientSecretCredentialOptions = { ...options };
  if (authority !== undefined) merged.authority = authority;
  if (fromEnv.length > 0) {
    merged.additionallyAllowedTenants = [
      ...new Set([...(options?.additionallyAllowedTenants ?? []), ...fromEnv]),
    ];
  }
  return { kind: "configured", tenantId, clientId, clientSecret, options: merged };
}
