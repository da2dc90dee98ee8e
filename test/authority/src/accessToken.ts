import { createHash, randomBytes, randomUUID } from "node:crypto";

/** The claims of an access token issued by the local authority (Entra v2 app-only token shape). */
export interface AccessTokenClaims {
  /** The scope's resource: the scope without `/.default`. */
  readonly aud: string;
  /** `{authority url}/{tenant}/v2.0`, the issuer in the tenant's openid-configuration. */
  readonly iss: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  /** Client id (v1 claim name, kept because many resource servers still read it). */
  readonly appid: string;
  /** `"1"`: the client authenticated with a secret. */
  readonly appidacr: "1";
  /** Client id (v2 claim name). */
  readonly azp: string;
  readonly azpacr: "1";
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
  readonly ver: "2.0";
  /** `["CP1"]` when the request declared the CP1 (continuous access evaluation) capability. */
  readonly xms_cc?: readonly string[];
}

/** Inputs for one access token. */
export interface AccessTokenInput {
  readonly issuer: string;
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
  return {
    aud: input.resource,
    iss: input.issuer,
    iat,
    nbf: iat,
    exp: iat + input.lifetimeInSeconds,
    appid: input.clientId,
    appidacr: "1",
    azp: input.clientId,
    azpacr: "1",
    idtyp: "app",
    oid,
    sub: oid,
    tid: input.tenant,
    ...(input.roles !== undefined && input.roles.length > 0 ? { roles: [...input.roles] } : {}),
    uti,
    jti: randomUUID(),
    ver: "2.0",
    ...(input.cae ? { xms_cc: ["CP1"] } : {}),
  };
}
