import { createHash, randomBytes, randomUUID } from "node:crypto";

/**
 * The claims of an access token issued by the local authority: Entra's app-only token shape, v2
 * by default, v1 with `issuer: "v1"`.
 */
export interface AccessTokenClaims {
  /** The scope's resource: the scope without `/.default`. */
  readonly aud: string;
  /**
   * `{authority url}/{tenant}/v2.0` (the issuer in the tenant's openid-configuration);
   * `https://sts.windows.net/{tenant}/` with `issuer: "v1"`; or what an issuer function returned.
   */
  readonly iss: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  /** Client id (v1 claim name, kept because many resource servers still read it). */
  readonly appid: string;
  /** `"1"`: the client authenticated with a secret. */
  readonly appidacr: "1";
  /** Client id (v2 claim name; v2 tokens only). */
  readonly azp?: string;
  /** v2 tokens only. */
  readonly azpacr?: "1";
  /** The identity provider: the issuer itself for app-only tokens (v1 tokens only). */
  readonly idp?: string;
  readonly idtyp: "app";
  /** Object id of the client's service principal: stable per client and tenant. */
  readonly oid: string;
  readonly sub: string;
  readonly tid: string;
  readonly roles?: readonly string[];
  /** Unique per token. */
  readonly uti: string;
  /** Unique per token: a UUID under the registered JWT claim name, for generic JWT tooling. */
  readonly jti: string;
  /** `"2.0"`, or `"1.0"` with `issuer: "v1"`. */
  readonly ver: "1.0" | "2.0";
  /** `["CP1"]` when the request declared the CP1 (continuous access evaluation) capability. */
  readonly xms_cc?: readonly string[];
}

/** Inputs for one access token. */
export interface AccessTokenInput {
  /** The `iss` claim. */
  readonly issuer: string;
  /** Token version: `"1.0"` gives v1 claims (`idp`, no `azp`). Default `"2.0"`. */
  readonly version?: "1.0" | "2.0";
  readonly tenant: string;
  readonly clientId: string;
  readonly resource: string;
  readonly nowMs: number;
  readonly lifetimeInSeconds: number;
  readonly roles: readonly string[] | undefined;
  readonly cae: boolean;
}

/** A GUID derived from `seed`, so a service principal keeps the same object id across tokens. */
function stableGuid(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Builds the claims for one token; `uti`/`jti` make every token distinct even within a second. */
export function accessTokenClaims(input: AccessTokenInput): AccessTokenClaims {
  const iat = Math.floor(input.nowMs / 1000);
  const oid = stableGuid(`${input.tenant}\u0000${input.clientId}`);
  // Entra's uti is 22 base64url characters.
  const uti = randomBytes(16).toString("base64url");
  const iss = input.issuer;
  const ver = input.version ?? "2.0";
  return {
    aud: input.resource,
    iss,
    iat,
    nbf: iat,
    exp: iat + input.lifetimeInSeconds,
    appid: input.clientId,
    appidacr: "1",
    // v1 tokens name the client only as appid and carry idp; v2 tokens add azp.
    ...(ver === "1.0" ? { idp: iss } : { azp: input.clientId, azpacr: "1" as const }),
    idtyp: "app",
    oid,
    sub: oid,
    tid: input.tenant,
    ...(input.roles !== undefined && input.roles.length > 0 ? { roles: [...input.roles] } : {}),
    uti,
    jti: randomUUID(),
    ver,
    ...(input.cae ? { xms_cc: ["CP1"] } : {}),
  };
}
