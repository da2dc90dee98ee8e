/** Environment variables whose values are secrets: never written to stdout or stderr. */
export const SECRET_VARIABLES = [
  "AZURE_CLIENT_SECRET",
  "AZURE_CLIENT_CERTIFICATE_PASSWORD",
  "CREDCHAIN_CACHE_KEY",
  "IDENTITY_HEADER",
] as const;

/** The secret values set in `env` (non-empty ones), for masking. */
export function secretValues(env: Readonly<Record<string, string | undefined>>): string[] {
  const values: string[] = [];
  for (const name of SECRET_VARIABLES) {
    const value = env[name];
    // Very short values would mask ordinary words; credchain's own errors never hold them anyway.
    if (value !== undefined && value.trim().length >= 4) values.push(value);
  }
  return values;
}

/** `text` with every occurrence of each secret replaced by `[redacted]`. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of secrets) masked = masked.split(secret).join("[redacted]");
  return masked;
}
