/**
 * `regionalAuthority` (or `AZURE_REGIONAL_AUTHORITY_NAME`) set to this asks for the region to be
 * detected: `REGION_NAME` (set by Azure Functions and App Service), else IMDS. Spelled as MSAL's
 * environment value; `AutoDiscoverRegion` (@azure/identity's constant) is accepted too.
 */
export const TRY_AUTO_DETECT = "TryAutoDetect";
const AUTO_DETECT_ALIASES = new Set(["tryautodetect", "autodiscoverregion"]);

/**
 * The regional (ESTS-R) host for each global authority host Entra serves regionally. The public
 * cloud's aliases all go to `login.microsoft.com`, the one host regional endpoints exist under;
 * a national cloud prefixes its own host. A host not listed here is refused rather than prefixed
 * blindly: `westus2.<any host>` is not an endpoint Entra guarantees.
 */
const REGIONAL_HOSTS: Readonly<Record<string, string>> = {
  "login.microsoftonline.com": "login.microsoft.com",
  "login.microsoft.com": "login.microsoft.com",
  "login.windows.net": "login.microsoft.com",
  "sts.windows.net": "login.microsoft.com",
  "login.chinacloudapi.cn": "login.chinacloudapi.cn",
  "login.partner.microsoftonline.cn": "login.chinacloudapi.cn",
  "login.microsoftonline.us": "login.microsoftonline.us",
  "login.usgovcloudapi.net": "login.microsoftonline.us",
};

/** A region name as Azure spells them: letters and digits (`westus2`, `eastus2euap`). */
const REGION = /^[a-z][a-z0-9]{1,39}$/;

/** What `regionalAuthority` resolved to: nothing, one region, or "detect it". */
export type RegionSetting =
  | { kind: "none" }
  | { kind: "region"; region: string; source: "option" | "environment" }
  | { kind: "detect" };

/**
 * Reads `regionalAuthority`, else `AZURE_REGIONAL_AUTHORITY_NAME`: a region name (lower-cased),
 * `TryAutoDetect`, or nothing. Anything else is a `TypeError` naming the setting.
 */
export function parseRegionSetting(
  option: unknown,
  fromEnvironment: string | undefined,
  credentialName: string,
): RegionSetting {
  const [value, source] =
    option !== undefined
      ? [option, "options.regionalAuthority"]
      : [fromEnvironment, "AZURE_REGIONAL_AUTHORITY_NAME"];
  if (value === undefined || (typeof value === "string" && value.trim() === ""))
    return { kind: "none" };
  if (typeof value !== "string") {
    throw new TypeError(
      `${credentialName}: ${source} must be a region name such as "westus2", or "${TRY_AUTO_DETECT}".`,
    );
  }
  const region = value.trim().toLowerCase();
  if (AUTO_DETECT_ALIASES.has(region)) return { kind: "detect" };
  if (!REGION.test(region)) {
    throw new TypeError(
      `${credentialName}: ${source} must be an Azure region name such as "westus2" (letters and digits), or "${TRY_AUTO_DETECT}".`,
    );
  }
  return { kind: "region", region, source: option !== undefined ? "option" : "environment" };
}

/**
 * The regional authority for `authorityHost` (an origin, `https://login.microsoftonline.com`) in
 * `region`: `https://westus2.login.microsoft.com` for the public cloud, the national clouds from
 * the table above. Undefined for a host the table does not know (a custom or local authority):
 * the caller stays on the global host and says so.
 */
export function regionalAuthorityHost(
  authorityHost: string,
  region: string,
  hosts: Readonly<Record<string, string>> = REGIONAL_HOSTS,
): string | undefined {
  const url = new URL(authorityHost);
  const regional = Object.hasOwn(hosts, url.hostname) ? hosts[url.hostname] : undefined;
  if (regional === undefined || url.protocol !== "https:") return undefined;
  return `https://${region}.${regional}${url.port === "" ? "" : `:${url.port}`}`;
}

/** Where a credential sends token requests first, decided at construction. */
export type RegionalPlan =
  | { kind: "global"; warning?: string }
  | { kind: "region"; region: string; regionalAuthority: string }
  | { kind: "detect" };

/**
 * The plan for `setting` on `authorityHost`. An explicit region on a host the table does not know
 * is refused: a `TypeError` for the option; for `AZURE_REGIONAL_AUTHORITY_NAME` (which a whole
 * machine shares, local emulators included) a warning and the global host.
 */
export function planRegionalAuthority(
  setting: RegionSetting,
  authorityHost: string,
  credentialName: string,
): RegionalPlan {
  if (setting.kind === "none") return { kind: "global" };
  if (setting.kind === "detect") return { kind: "detect" };
  const regionalAuthority = regionalAuthorityHost(authorityHost, setting.region);
  if (regionalAuthority !== undefined) {
    return { kind: "region", region: setting.region, regionalAuthority };
  }
  const message =
    `${credentialName}: no regional endpoint is known for ${new URL(authorityHost).host} ` +
    "(regional authorities exist for login.microsoftonline.com, login.chinacloudapi.cn and " +
    "login.microsoftonline.us)";
  if (setting.source === "environment") {
    return { kind: "global", warning: `${message}; AZURE_REGIONAL_AUTHORITY_NAME is ignored.` };
  }
  throw new TypeError(
    `${message}. Remove options.regionalAuthority, or use one of those authorities.`,
  );
}

/**
 * The regional plan of an Entra client credential: `regionalAuthority`, else
 * `AZURE_REGIONAL_AUTHORITY_NAME` (read here, once, at construction), on its authority host.
 */
export function resolveRegionalPlan(
  credentialName: string,
  option: unknown,
  authorityHost: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): RegionalPlan {
  return planRegionalAuthority(
    parseRegionSetting(option, env["AZURE_REGIONAL_AUTHORITY_NAME"], credentialName),
    authorityHost,
    credentialName,
  );
}
