import type { ClientAuthentication } from "./ClientAuthentication.js";

/**
 * Authenticates with a client secret in the form body (`client_secret_post`), as Entra expects it.
 * The secret lives in this closure only: nothing that gets logged or serialized holds it.
 *
 * Throws a `TypeError` when `secret` is not a non-empty string.
 */
export function clientSecretAuthentication(secret: string): ClientAuthentication {
  if (typeof secret !== "string" || secret.trim() === "") {
    throw new TypeError(
      "clientSecret is required: pass one of the app registration's client secret values " +
        "(Certificates & secrets > Client secrets > Value, not the Secret ID).",
    );
  }
  const secrets = Object.freeze([secret]);
  return Object.freeze({
    method: "client_secret" as const,
    authenticate(_context: unknown, form: URLSearchParams): void {
      form.set("client_secret", secret);
    },
    secrets: () => secrets,
  });
}
