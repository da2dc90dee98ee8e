import type { AccessToken, AccessTokenInfo } from "./AccessToken.js";
import type { GetTokenOptions, TokenRequestOptions } from "./GetTokenOptions.js";

/**
 * What every credential and every chain link implements. Structurally the same as
 * `@azure/core-auth`'s `TokenCredential`, so credentials pass both ways between credchain and
 * the Azure SDK.
 */
export interface TokenCredential {
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null>;
}

/** A credential that can also answer with the seed's `AccessTokenInfo` (seconds). */
export interface SupportsTokenInfo {
  getTokenInfo(scopes: string | string[], options?: TokenRequestOptions): Promise<AccessTokenInfo>;
}
