import { ClientAuthenticationError, type AccessToken } from "@credchain/core";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * az's `expiresOn` is local time without a zone, e.g. `"2026-01-01 10:00:00.000000"`: read as
 * local time, which is what az wrote. Only a fallback for old az versions without `expires_on`.
 */
function localTime(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(
    value.trim(),
  );
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction] = match;
  const ms = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  const time = new Date(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    ms,
  ).getTime();
  return Number.isFinite(time) ? time : undefined;
}

function epochSeconds(value: unknown): number | undefined {
  const number =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^\d+$/.test(value.trim())
        ? Number(value)
        : undefined;
  return number !== undefined && Number.isFinite(number) && number > 0 ? number * 1000 : undefined;
}

/**
 * `az account get-access-token --output json` as an `AccessToken`: `expires_on` (epoch seconds,
 * az 2.54+) preferred over `expiresOn` (local time).
 */
export function parseAzOutput(stdout: string, now: number): AccessToken {
  let body: unknown;
  try {
    body = JSON.parse(stdout) as unknown;
  } catch {
    body = undefined;
  }
  const token = isObject(body) ? body["accessToken"] : undefined;
  if (!isObject(body) || typeof token !== "string" || token === "") {
    throw new ClientAuthenticationError(
      "AzureCliCredential: `az account get-access-token` printed no access token in JSON. " +
        "Update the Azure CLI (`az upgrade`) and run the command yourself to see what it prints.",
    );
  }
  const expiresOnTimestamp = epochSeconds(body["expires_on"]) ?? localTime(body["expiresOn"]);
  if (expiresOnTimestamp === undefined || expiresOnTimestamp <= now) {
    throw new ClientAuthenticationError(
      "AzureCliCredential: `az account get-access-token` printed no usable expiry (expires_on or expiresOn). " +
        "Update the Azure CLI (`az upgrade`).",
    );
  }
  return { token, expiresOnTimestamp, tokenType: "Bearer" };
}
