import { assertionErrors } from "./assertionErrors.js";
import { verifyCertificateAssertion } from "./clientAssertion.js";
import type { ClientRegistry, RegisteredClient } from "./clients.js";
import { decodeJws } from "./decodeJws.js";
import { aadErrors, type AadError } from "./errors.js";
import { verifyFederatedAssertion } from "./federatedCredentials.js";
import type { JtiReplayCache } from "./JtiReplayCache.js";

/** The `client_assertion_type` of a JWT client assertion (RFC 7523 §2.2). */
export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** A token request that authenticates with `client_assertion`. */
export interface AssertionRequest {
  readonly tenant: string;
  readonly clientId: string;
  readonly assertionType: string | undefined;
  readonly assertion: string | undefined;
  readonly hasSecret: boolean;
  /** The authority's base URL: `aud` must be this tenant's token endpoint. */
  readonly url: string;
  readonly nowMs: number;
  readonly clients: ClientRegistry;
  readonly replay: JtiReplayCache;
}

/**
 * Authenticates a client by `client_assertion`: a certificate assertion when `iss` is the client
 * itself (`private_key_jwt`), otherwise a federated token checked against the client's federated
 * credentials, as Entra tells the two apart.
 */
export async function authenticateWithAssertion(
  request: AssertionRequest,
): Promise<AadError | RegisteredClient> {
  if (request.hasSecret) return assertionErrors.secretAndAssertion();
  if (request.assertionType !== JWT_BEARER) {
    return request.assertionType === undefined
      ? aadErrors.missingParameter("client_assertion_type")
      : assertionErrors.unsupportedAssertionType();
  }
  if (request.assertion === undefined || request.assertion === "") {
    return aadErrors.missingParameter("client_assertion");
  }
  const registered = request.clients.assertionCredentials(request.tenant, request.clientId);
  if (registered === undefined) return aadErrors.unknownClient(request.clientId, request.tenant);
  const jws = decodeJws(request.assertion);
  if (jws === undefined) return assertionErrors.malformedAssertion();
  const error =
    jws.payload["iss"] === request.clientId
      ? verifyCertificateAssertion(jws, registered.certificates, {
          clientId: request.clientId,
          audiences: [
            `${request.url}/${request.tenant}/oauth2/v2.0/token`,
            `${request.url}/${request.tenant}/oauth2/token`,
          ],
          nowMs: request.nowMs,
          replay: request.replay,
        })
      : await verifyFederatedAssertion(jws, registered.federated, request.nowMs);
  return error ?? registered.client;
}
