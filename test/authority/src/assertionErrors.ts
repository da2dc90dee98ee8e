import type { AadError } from "./errors.js";

/** Entra's AADSTS70021x family: no federated credential matches one field of the token. */
function noFederatedMatch(code: number, field: string, value: string): AadError {
  return {
    status: 400,
    error: "invalid_request",
    code,
    message:
      `No matching federated identity record found for presented assertion ${field} '${value}'. ` +
      "Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.",
  };
}

/**
 * The AADSTS errors of client assertions (certificate `private_key_jwt` and federated
 * credentials), with Entra's wording. Entra answers these with 401 `invalid_client`.
 * Entra publishes no code for a replayed `jti`; the authority uses 7000282, a number of its own
 * in the same family, so tests can tell a replay from every other failure.
 */
export const assertionErrors = {
  malformedAssertion: (): AadError => ({
    status: 401,
    error: "invalid_client",
    code: 50027,
    message: "JWT token is invalid or malformed.",
  }),
  unsupportedAssertionType: (): AadError => ({
    status: 400,
    error: "invalid_request",
    code: 70002,
    message:
      "The client_assertion_type must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.",
  }),
  secretAndAssertion: (): AadError => ({
    status: 400,
    error: "invalid_request",
    code: 9002313,
    message:
      "Invalid request. Request is malformed or invalid. Send either client_secret or client_assertion, not both.",
  }),
  keyNotFound: (clientId: string, thumbprint: string | undefined): AadError => ({
    status: 401,
    error: "invalid_client",
    code: 700027,
    message:
      "The certificate with identifier used to sign the client assertion is not registered on " +
      `application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint ?? ""}', ` +
      `Please visit the Azure Portal to see configured keys for app Id '${clientId}'.]`,
  }),
  invalidSignature: (): AadError => ({
    status: 401,
    error: "invalid_client",
    code: 700027,
    message: "Client assertion failed signature validation.",
  }),
  certificateNotValid: (thumbprint: string): AadError => ({
    status: 401,
    error: "invalid_client",
    code: 7000274,
    message: `The certificate with thumbprint '${thumbprint}' used to sign the client assertion is not within its validity period.`,
  }),
  clientIdMismatch: (): AadError => ({
    status: 401,
    error: "invalid_client",
    code: 700021,
    message: "Client assertion application identifier doesn't match 'client_id' parameter.",
  }),
  audienceMismatch: (): AadError => ({
    status: 401,
    error: "invalid_client",
    code: 700023,
    message:
      "Client assertion audience claim does not match Realm issuer. The 'aud' claim must be the token endpoint.",
  }),
  notInValidTimeRange: (nowMs: number, nbf: unknown, exp: unknown): AadError => ({
    status: 401,
    error: "invalid_client",
    code: 700024,
    message:
      `Client assertion is not within its valid time range. Current time: ${new Date(nowMs).toISOString()}, ` +
      `assertion valid from ${typeof nbf === "number" ? new Date(nbf * 1000).toISOString() : "unknown"}, ` +
      `expiry time of assertion ${typeof exp === "number" ? new Date(exp * 1000).toISOString() : "unknown"}.`,
  }),
  replayed: (): AadError => ({
    status: 401,
    error: "invalid_client",
    code: 7000282,
    message:
      "The client assertion was already used: its 'jti' was seen before. Sign a new assertion for every request.",
  }),
  noFederatedIssuer: (issuer: string): AadError => noFederatedMatch(700211, "issuer", issuer),
  noFederatedAudience: (audience: string): AadError =>
    noFederatedMatch(700212, "audience", audience),
  noFederatedSubject: (subject: string): AadError => noFederatedMatch(700213, "subject", subject),
  federatedSignature: (issuer: string): AadError => ({
    status: 401,
    error: "invalid_client",
    code: 50013,
    message: `Assertion failed signature validation. [Reason - The key was not found for issuer '${issuer}'.]`,
  }),
} as const;
