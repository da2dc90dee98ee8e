import type { AccessToken } from "@credchain/core";
import { UsageError } from "./UsageError.js";

/** The values of `credchain token --output`. */
export const outputFormats = ["json", "raw", "exec-credential"] as const;

/** One value of `--output`. */
export type OutputFormat = (typeof outputFormats)[number];

/** The ExecCredential version kubectl gets when it does not say which it wants. */
export const DEFAULT_EXEC_CREDENTIAL_API_VERSION = "client.authentication.k8s.io/v1beta1";

const EXEC_CREDENTIAL_API_VERSION = /^client\.authentication\.k8s\.io\/v1(?:beta1|alpha1)?$/;

const pad = (value: number, width = 2): string => String(value).padStart(width, "0");

/**
 * `az account get-access-token`'s `expiresOn`: local time, `YYYY-MM-DD HH:MM:SS.ffffff`, no zone.
 * Kept byte for byte so scripts written for az parse it unchanged.
 */
function azDate(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds() * 1000, 6)}`
  );
}

/**
 * The apiVersion kubectl asked for in `KUBERNETES_EXEC_INFO` (set for every exec plugin since
 * Kubernetes 1.22), else v1beta1.
 */
export function execCredentialApiVersion(execInfo: string | undefined): string {
  if (execInfo === undefined || execInfo.trim() === "") return DEFAULT_EXEC_CREDENTIAL_API_VERSION;
  let apiVersion: unknown;
  try {
    apiVersion = (JSON.parse(execInfo) as { apiVersion?: unknown } | null)?.apiVersion;
  } catch {
    throw new UsageError(
      "KUBERNETES_EXEC_INFO is not JSON; kubectl sets it, so unset it to run by hand.",
    );
  }
  if (apiVersion === undefined) return DEFAULT_EXEC_CREDENTIAL_API_VERSION;
  if (typeof apiVersion !== "string" || !EXEC_CREDENTIAL_API_VERSION.test(apiVersion)) {
    throw new UsageError(
      "KUBERNETES_EXEC_INFO asks for an ExecCredential apiVersion credchain does not know; " +
        "use client.authentication.k8s.io/v1 or v1beta1 in the kubeconfig's exec section.",
    );
  }
  return apiVersion;
}

/** What to print for one token. */
export interface TokenOutput {
  readonly token: AccessToken;
  /** The tenant the token is from: its `tid` claim, else the one requested. */
  readonly tenant: string | undefined;
  readonly format: OutputFormat;
  /** `KUBERNETES_EXEC_INFO`, for `exec-credential`. */
  readonly execInfo?: string | undefined;
}

/** The text `credchain token` writes to stdout, newline included. */
export function formatToken({ token, tenant, format, execInfo }: TokenOutput): string {
  switch (format) {
    case "raw":
      return `${token.token}\n`;
    case "exec-credential":
      return `${JSON.stringify({
        kind: "ExecCredential",
        apiVersion: execCredentialApiVersion(execInfo),
        spec: {},
        status: {
          token: token.token,
          // RFC 3339, which kubectl parses; it asks again shortly before this.
          expirationTimestamp: new Date(token.expiresOnTimestamp)
            .toISOString()
            .replace(/\.\d{3}Z$/, "Z"),
        },
      })}\n`;
    case "json":
      return `${JSON.stringify(
        {
          accessToken: token.token,
          expiresOn: azDate(token.expiresOnTimestamp),
          expires_on: Math.floor(token.expiresOnTimestamp / 1000),
          tenant: tenant ?? null,
          tokenType: token.tokenType ?? "Bearer",
        },
        null,
        2,
      )}\n`;
  }
}
