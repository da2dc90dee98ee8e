import { normalizeAuthority, validateTenantId } from "@credchain/core/credential";
import type { ClientSecretCredentialOptions } from "./ClientSecretCredentialOptions.js";

/** The variables a service principal with a client secret needs, in the order they are named. */
export const REQUIRED_VARIABLES = [
  "AZURE_TENANT_ID",
  "AZURE_CLIENT_ID",
  "AZURE_CLIENT_SECRET",
] as const;

/** Variables of other Azure sign-in methods, named in the message so a user sees why they are ignored. */
const UNSUPPORTED_VARIABLES = ["AZURE_USERNAME"] as const;

/** The environment describes a service principal with a client secret. */
export interface SecretEnvironment {
  readonly kind: "secret";
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The caller's options, with the environment's authority and allowed tenants merged in. */
  readonly options: ClientSecretCredentialOptions;
}

/** The environment describes a service principal with a certificate (and no client secret). */
export interface CertificateEnvironment {
  readonly kind: "certificate";
  readonly tenantId: string;
  readonly clientId: string;
  /** `AZURE_CLIENT_CERTIFICATE_PATH`: a PEM file with the certificate and its private key. */
  readonly certificatePath: string;
  /** `AZURE_CLIENT_CERTIFICATE_PASSWORD`, when the private key is encrypted. */
  readonly certificatePassword: string | undefined;
  /** `AZURE_CLIENT_SEND_CERTIFICATE_CHAIN`: `1` or `true` sends `x5c` (subject name / issuer auth). */
  readonly sendCertificateChain: boolean;
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
    "AZURE_CLIENT_ID and AZURE_CLIENT_SECRET to authenticate as a service principal with a client secret " +
    "(or AZURE_CLIENT_CERTIFICATE_PATH instead of AZURE_CLIENT_SECRET, with a certificate)." +
    (other.length === 0
      ? ""
      : ` (${listNames(other)} ${other.length === 1 ? "is" : "are"} set, but this credential supports client secrets and certificates only.)`)
  );
}

/** `AZURE_CLIENT_SEND_CERTIFICATE_CHAIN`, read as @azure/identity does: `1` or `true` is on. */
function sendChain(value: string | undefined): boolean {
  const normalized = value?.trim().toLowerCase();
  if (normalized === undefined || normalized === "0" || normalized === "false") return false;
  if (normalized === "1" || normalized === "true") return true;
  throw new TypeError(
    'EnvironmentCredential: AZURE_CLIENT_SEND_CERTIFICATE_CHAIN must be "true" or "1" to send the certificate chain, "false" or "0" (or unset) not to.',
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
): SecretEnvironment | CertificateEnvironment | IncompleteEnvironment {
  const tenantId = read(env, "AZURE_TENANT_ID");
  const clientId = read(env, "AZURE_CLIENT_ID");
  const clientSecret = read(env, "AZURE_CLIENT_SECRET");
  const certificatePath = read(env, "AZURE_CLIENT_CERTIFICATE_PATH");
  const sendCertificateChain = sendChain(read(env, "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN"));
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

  const proof = clientSecret ?? certificatePath;
  if (tenantId === undefined || clientId === undefined || proof === undefined) {
    const values = {
      AZURE_TENANT_ID: tenantId,
      AZURE_CLIENT_ID: clientId,
      AZURE_CLIENT_SECRET: proof,
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
  // The secret first, as @azure/identity: a certificate is used only when there is no secret.
  if (clientSecret !== undefined) {
    return { kind: "secret", tenantId, clientId, clientSecret, options: merged };
  }
  return {
    kind: "certificate",
    tenantId,
    clientId,
    certificatePath: proof,
    certificatePassword: read(env, "AZURE_CLIENT_CERTIFICATE_PASSWORD"),
    sendCertificateChain,
    options: merged,
  };
}
