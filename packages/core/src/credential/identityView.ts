import type { CredentialIdentity } from "./CredentialIdentity.js";

/** What `JSON.stringify` shows of a credential: identity only, never a secret. */
export function identityToJSON(identity: CredentialIdentity): Record<string, string> {
  const { credentialName, tenantId, clientId, authorityHost } = identity;
  const shown: Record<string, string> = { credential: credentialName };
  if (tenantId !== undefined) shown["tenantId"] = tenantId;
  if (clientId !== undefined) shown["clientId"] = clientId;
  if (authorityHost !== undefined) shown["authorityHost"] = authorityHost;
  return shown;
}

/** What `util.inspect` and `console.log` show of a credential's `toJSON()`: `Name { k: 'v' }`. */
export function inspectIdentity(shown: Record<string, string>): string {
  const { credential, ...fields } = shown;
  const body = Object.entries(fields)
    .map(([name, value]) => `${name}: '${value}'`)
    .join(", ");
  return body === "" ? `${credential} {}` : `${credential} { ${body} }`;
}
