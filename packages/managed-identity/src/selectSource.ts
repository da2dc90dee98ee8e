import type { RetryOptions } from "@credchain/core";
import { imdsRetryPolicy } from "./imdsRetryPolicy.js";
import type { ManagedIdentitySource } from "./ManagedIdentitySource.js";
import { isThumbprint } from "./PinnedCertificateTransport.js";
import { existsSync } from "node:fs";
import {
  DEFAULT_ARC_ENDPOINT,
  platformArcAgentPath,
  platformArcTokenDirectory,
} from "./readArcSecret.js";
import { AppServiceSource } from "./sources/AppServiceSource.js";
import { AzureArcSource } from "./sources/AzureArcSource.js";
import { CloudShellSource } from "./sources/CloudShellSource.js";
import { ImdsSource } from "./sources/ImdsSource.js";
import { ServiceFabricSource } from "./sources/ServiceFabricSource.js";
import { UnsupportedSource } from "./sources/UnsupportedSource.js";
import { safeEndpoint } from "./safeEndpoint.js";

/** The environment, as read once by `resolveOptions`. */
export type Environment = Readonly<Record<string, string | undefined>>;

const DEFAULT_IMDS_HOST = "http://169.254.169.254";
const IMDS_TOKEN_PATH = "/metadata/identity/oauth2/token";

function variable(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/** An endpoint variable as a URL; a malformed one is a mistake to fix, not a reason to move on. */
function endpointUrl(value: string, name: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new TypeError(
      `ManagedIdentityCredential: ${name} must be an http(s) URL, e.g. "http://localhost:8081/msi/token"; ` +
        "it is set by the Azure platform, so check what overrides it.",
    );
  }
  return url;
}

/**
 * The source the platform offers, by the same precedence as the Azure SDKs: Service Fabric,
 * App Service (Functions, Container Apps), Cloud Shell, Azure Arc, else IMDS.
 */
export function selectSource(
  env: Environment,
  retryOptions: RetryOptions | undefined,
  arcTokenDirectory: string | undefined,
  arcAgentPath?: string | null,
): ManagedIdentitySource {
  const identityEndpoint = variable(env, "IDENTITY_ENDPOINT");
  const identityHeader = variable(env, "IDENTITY_HEADER");
  if (identityEndpoint !== undefined && identityHeader !== undefined) {
    const url = endpointUrl(identityEndpoint, "IDENTITY_ENDPOINT");
    const thumbprint = variable(env, "IDENTITY_SERVER_THUMBPRINT");
    if (thumbprint === undefined) return new AppServiceSource(url, identityHeader);
    if (!isThumbprint(thumbprint)) {
      throw new TypeError(
        "ManagedIdentityCredential: IDENTITY_SERVER_THUMBPRINT must be the hex SHA-1 (40 digits) or SHA-256 " +
          "(64 digits) thumbprint of the Service Fabric endpoint's certificate; it is set by the cluster.",
      );
    }
    return new ServiceFabricSource(url, identityHeader, thumbprint);
  }
  const msiEndpoint = variable(env, "MSI_ENDPOINT");
  if (msiEndpoint !== undefined) {
    const url = endpointUrl(msiEndpoint, "MSI_ENDPOINT");
    if (variable(env, "MSI_SECRET") !== undefined) {
      return new UnsupportedSource(
        "Azure Machine Learning",
        safeEndpoint(url),
        "ManagedIdentityCredential: MSI_ENDPOINT and MSI_SECRET are set, as on Azure Machine Learning compute, " +
          "which this version does not support. Use a service principal (EnvironmentCredential) or workload identity there.",
      );
    }
    return new CloudShellSource(url);
  }
  const arcDirectory = arcTokenDirectory ?? platformArcTokenDirectory(process.platform, env);
  if (identityEndpoint !== undefined && variable(env, "IMDS_ENDPOINT") !== undefined) {
    return new AzureArcSource(endpointUrl(identityEndpoint, "IDENTITY_ENDPOINT"), arcDirectory);
  }
  const agent =
    arcAgentPath === null
      ? undefined
      : (arcAgentPath ?? platformArcAgentPath(process.platform, env));
  if (identityEndpoint === undefined && agent !== undefined && existsSync(agent)) {
    return new AzureArcSource(new URL(DEFAULT_ARC_ENDPOINT), arcDirectory);
  }
  const podHost = variable(env, "AZURE_POD_IDENTITY_AUTHORITY_HOST");
  const host = endpointUrl(podHost ?? DEFAULT_IMDS_HOST, "AZURE_POD_IDENTITY_AUTHORITY_HOST");
  const url = new URL(`${host.origin}${host.pathname.replace(/\/+$/, "")}${IMDS_TOKEN_PATH}`);
  return new ImdsSource(url, imdsRetryPolicy(retryOptions), podHost !== undefined);
}
