import { accessSync, constants } from "node:fs";
import type { CredentialKindName } from "../credentialKinds.js";
import { credentialKinds } from "../credentialKinds.js";
import { credentialPackageInstalled } from "../loadCredential.js";
import type { DoctorRow } from "./DoctorRow.js";
import { findOnPath } from "./findOnPath.js";

type Env = Readonly<Record<string, string | undefined>>;

const isSet = (env: Env, name: string): boolean => (env[name] ?? "").trim() !== "";

/** What the environment configures for one credential, before any network. */
interface Finding {
  readonly configured: boolean;
  /** Configured, but something it needs is missing: it will fail or be skipped. */
  readonly problem?: string;
  readonly detail: string;
}

function environmentFinding(env: Env): Finding {
  const wanted = ["AZURE_TENANT_ID", "AZURE_CLIENT_ID"];
  const secret = isSet(env, "AZURE_CLIENT_SECRET")
    ? "AZURE_CLIENT_SECRET"
    : isSet(env, "AZURE_CLIENT_CERTIFICATE_PATH")
      ? "AZURE_CLIENT_CERTIFICATE_PATH"
      : undefined;
  const present = wanted.filter((name) => isSet(env, name));
  if (present.length === 0 && secret === undefined) {
    return {
      configured: false,
      detail: "not configured (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)",
    };
  }
  const missing = [
    ...wanted.filter((name) => !isSet(env, name)),
    ...(secret === undefined ? ["AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH"] : []),
  ];
  if (missing.length > 0) {
    return {
      configured: true,
      problem: `set ${missing.join(", ")}`,
      detail: `incomplete: missing ${missing.join(", ")}`,
    };
  }
  return {
    configured: true,
    detail: `AZURE_TENANT_ID, AZURE_CLIENT_ID and ${secret} are set (values not shown)`,
  };
}

function workloadIdentityFinding(env: Env): Finding {
  const file = env["AZURE_FEDERATED_TOKEN_FILE"];
  if (file === undefined || file.trim() === "") {
    return { configured: false, detail: "not configured (AZURE_FEDERATED_TOKEN_FILE)" };
  }
  const missing = ["AZURE_TENANT_ID", "AZURE_CLIENT_ID"].filter((name) => !isSet(env, name));
  if (missing.length > 0)
    return {
      configured: true,
      problem: `set ${missing.join(", ")}`,
      detail: `missing ${missing.join(", ")}`,
    };
  try {
    accessSync(file, constants.R_OK);
  } catch {
    return {
      configured: true,
      problem: "make the token file readable",
      detail: `AZURE_FEDERATED_TOKEN_FILE ${file} is not readable`,
    };
  }
  return { configured: true, detail: `token file ${file}` };
}

function managedIdentityFinding(env: Env): Finding {
  if (isSet(env, "IDENTITY_ENDPOINT") && isSet(env, "IMDS_ENDPOINT")) {
    return { configured: true, detail: `Azure Arc endpoint ${env["IDENTITY_ENDPOINT"]}` };
  }
  if (isSet(env, "IDENTITY_ENDPOINT")) {
    if (!isSet(env, "IDENTITY_HEADER")) {
      return {
        configured: true,
        problem: "set IDENTITY_HEADER",
        detail: "IDENTITY_ENDPOINT is set without IDENTITY_HEADER",
      };
    }
    const where = isSet(env, "IDENTITY_SERVER_THUMBPRINT")
      ? "Service Fabric"
      : "App Service / Functions / Container Apps";
    return { configured: true, detail: `${where} endpoint ${env["IDENTITY_ENDPOINT"]}` };
  }
  if (isSet(env, "MSI_ENDPOINT"))
    return { configured: true, detail: `Cloud Shell endpoint ${env["MSI_ENDPOINT"]}` };
  // Not probed: an IMDS probe from a machine that is not an Azure VM hangs or reaches the wrong host.
  return {
    configured: false,
    detail: "no endpoint variables; only IMDS remains (works on Azure VMs; not probed)",
  };
}

function azureCliFinding(env: Env): Finding {
  const az = findOnPath("az", env);
  return az === undefined
    ? { configured: false, detail: "az is not on PATH" }
    : { configured: true, detail: `az at ${az} (run "az login" if it is not signed in)` };
}

const findings: ReadonlyArray<[CredentialKindName, (env: Env) => Finding]> = [
  ["environment", environmentFinding],
  ["workload-identity", workloadIdentityFinding],
  ["managed-identity", managedIdentityFinding],
  ["azure-cli", azureCliFinding],
];

/** What `credchain doctor` reports about the credentials: one row each, then a verdict. */
export interface CredentialReport {
  readonly rows: DoctorRow[];
  /** Whether a credential that talks to the authority (AZURE_AUTHORITY_HOST) is configured. */
  readonly usesAuthority: boolean;
}

/**
 * Which credentials of the default chain this environment enables, in the chain's order, and
 * whether their packages are installed. Reads only variables and PATH; contacts nothing.
 */
export async function credentialRows(env: Env): Promise<CredentialReport> {
  const rows: DoctorRow[] = [];
  let usable = 0;
  let usesAuthority = false;
  for (const [name, find] of findings) {
    const finding = find(env);
    const { packageName } = credentialKinds[name];
    const installed = await credentialPackageInstalled(name);
    let status: DoctorRow["status"] = finding.configured ? "ok" : "info";
    let detail = finding.detail;
    if (finding.problem !== undefined) {
      status = "warn";
      detail += `; ${finding.problem}`;
    } else if (finding.configured && !installed) {
      status = "warn";
      detail += `; install ${packageName}`;
    } else if (finding.configured) {
      usable += 1;
      if (name === "environment" || name === "workload-identity") usesAuthority = true;
    }
    rows.push({ check: `credential ${name}`, status, detail });
  }
  const installed = await credentialPackageInstalled("default");
  rows.push(
    usable > 0
      ? {
          check: "credentials",
          status: installed ? "ok" : "info",
          detail: installed
            ? `${usable} usable; DefaultAzureCredential tries them in the order above`
            : `${usable} usable; --credential default needs ${credentialKinds.default.packageName}`,
        }
      : {
          check: "credentials",
          status: "warn",
          detail:
            "none configured in this environment: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or run az login; on an Azure VM, IMDS may still work",
        },
  );
  return { rows, usesAuthority };
}
