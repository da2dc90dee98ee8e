/**
 * An access token in the shape `@azure/core-auth` uses: timestamps in **milliseconds** since the
 * Unix epoch, so any Azure SDK for JavaScript client accepts it.
 */
export interface AccessToken {
  /** The bearer token. Treat it as a secret. */
  token: string;
  /** When the token expires, in milliseconds since the Unix epoch. */
  expiresOnTimestamp: number;
  /** When the credential will start refreshing the token, in milliseconds since the Unix epoch. */
  refreshAfterTimestamp?: number;
  /** The token type: `"Bearer"` (the default) or `"pop"`, as in `@azure/core-auth`. */
  tokenType?: "Bearer" | "pop";
}

/**
 * An access token in the shape of the seed's `AccessTokenInfo`: timestamps in **seconds** since
 * the Unix epoch.
 */
export interface AccessTokenInfo {
  /** The bearer token. Treat it as a secret. */
  token: string;
  /** When the token expires, in seconds since the Unix epoch. */
  expiresOn: number;
  /** The token type, usually `"Bearer"`. */
  tokenType: string;
  /** When the credential will start refreshing the token, in seconds since the Unix epoch. */
  refreshOn?: number;
}

/** Converts the milliseconds shape to the seconds shape, rounding down as the seed does. */
export function toAccessTokenInfo(token: AccessToken): AccessTokenInfo {
  const info: AccessTokenInfo = {
    token: token.token,
    expiresOn: Math.floor(token.expiresOnTimestamp / 1000),
    tokenType: token.tokenType ?? "Bearer",
  };
  if (token.refreshAfterTimestamp !== undefined) {
    info.refreshOn = Math.floor(token.refreshAfterTimestamp / 1000);
  }
  return info;
}
