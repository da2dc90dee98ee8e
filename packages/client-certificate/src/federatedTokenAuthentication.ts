import {
  JWT_BEARER_ASSERTION_TYPE,
  type ClientAuthentication,
  type ClientAuthenticationContext,
} from "@credchain/core/credential";
import { readFederatedToken } from "./readFederatedToken.js";

/**
 * Client assertion authentication whose assertion is a federated token file (workload identity):
 * read fresh for each network request (never for a cache hit) and checked against the
 * credential's clock from the request context, so an expired token is never sent. Its own
 * strategy rather than `clientAssertionAuthentication`, whose callback gets no clock.
 */
export function federatedTokenAuthentication(tokenFilePath: string): ClientAuthentication {
  let last: readonly string[] = [];
  return {
    method: "client_assertion",
    async authenticate(context: ClientAuthenticationContext, form: URLSearchParams): Promise<void> {
      const token = await readFederatedToken(tokenFilePath, context.clock.now(), context.signal);
      last = [token];
      form.set("client_assertion_type", JWT_BEARER_ASSERTION_TYPE);
      form.set("client_assertion", token);
    },
    secrets: () => last,
  };
}
