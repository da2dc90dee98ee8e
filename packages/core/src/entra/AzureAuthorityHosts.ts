/**
 * The Microsoft Entra authority hosts of the national clouds, for
 * `CredentialOptions.authority`. The public cloud is the default.
 *
 * @example
 * ```ts
 * new ClientSecretCredential(tenantId, clientId, secret, { authority: AzureAuthorityHosts.AzureChina });
 * ```
 */
export const AzureAuthorityHosts = {
  /** Azure public cloud. */
  AzurePublicCloud: "login.microsoftonline.com",
  /** Azure operated by 21Vianet (China). */
  AzureChina: "login.chinacloudapi.cn",
  /** Azure US Government. */
  AzureGovernment: "login.microsoftonline.us",
} as const;
