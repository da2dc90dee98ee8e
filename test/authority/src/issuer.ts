import { issuerFor } from "./discovery.js";

/**
 * Which issuer the authority stamps on tokens:
 *
 * - `"v2"` (default): `{authority url}/{tenant}/v2.0` and `ver: "2.0"`, the issuer of the
 *   tenant's v2.0 openid-configuration.
 * - `"v1"`: `https://sts.windows.net/{tenant}/` and `ver: "1.0"` with v1 claims (`appid`,
 *   `appidacr`, `idp`; no `azp`). Entra issues these for resources that accept v1 tokens, such as
 *   Azure Storage, and resource emulators (Azurite's `--oauth basic`) accept only this issuer.
 * - a function of the tenant: its return value is the `iss` of v2-shaped tokens, e.g. to test a
 *   resource server's issuer validation.
 */
export type IssuerOption = "v2" | "v1" | ((tenant: string) => string);

/** The issuer and token version for one tenant. */
export interface TokenIssuer {
  readonly iss: string;
  readonly ver: "1.0" | "2.0";
}

/** The v1 (Azure AD "sts") issuer of a tenant, with its trailing slash as Entra writes it. */
export function v1Issuer(tenant: string): string {
  return `https://sts.windows.net/${tenant}/`;
}

/** Checks the option's shape once, at start, so a typo fails there and not at the first token. */
export function checkIssuerOption(option: unknown): IssuerOption | undefined {
  if (option === undefined || option === "v1" || option === "v2") return option;
  if (typeof option === "function") return option as (tenant: string) => string;
  throw new TypeError(
    'issuer must be "v2", "v1" or a function (tenant) => string that returns the iss claim',
  );
}

/** Binds the option to an authority URL: `(tenant) => { iss, ver }`. */
export function tokenIssuer(option: IssuerOption, url: string): (tenant: string) => TokenIssuer {
  if (option === "v1") return (tenant) => ({ iss: v1Issuer(tenant), ver: "1.0" });
  if (option === "v2") return (tenant) => ({ iss: issuerFor(url, tenant), ver: "2.0" });
  return (tenant) => {
    const iss: unknown = option(tenant);
    if (typeof iss !== "string" || iss === "") {
      // Surfaces as the token endpoint's 500 internal error, naming what to fix.
      throw new TypeError("the issuer function must return a non-empty string");
    }
    return { iss, ver: "2.0" };
  };
}
