import { ClientAuthenticationError } from "../errors/ClientAuthenticationError.js";
import type { ClientAuthentication, ClientAuthenticationContext } from "./ClientAuthentication.js";

/** The `client_assertion_type` of a JWT bearer assertion (RFC 7523). */
export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/**
 * Authenticates with a client assertion (a JWT) from `getAssertion`, called once per network
 * request (never for a cache hit) with the request's `abortSignal`, so a rotated federated token
 * or a freshly signed assertion is used every time. The last assertion is masked like a secret.
 *
 * `getAssertion` returning anything but a non-empty string fails the request with a
 * `ClientAuthenticationError`; what it throws is passed on unchanged.
 */
export function clientAssertionAuthentication(
  getAssertion: (options: { abortSignal: AbortSignal }) => string | Promise<string>,
): ClientAuthentication {
  if (typeof getAssertion !== "function") {
    throw new TypeError(
      "getAssertion must be a function that returns the client assertion (a JWT), or a promise of it.",
    );
  }
  let last: readonly string[] = [];
  return Object.freeze({
    method: "client_assertion" as const,
    async authenticate(context: ClientAuthenticationContext, form: URLSearchParams): Promise<void> {
      const assertion: unknown = await getAssertion({ abortSignal: context.signal });
      if (typeof assertion !== "string" || assertion.trim() === "") {
        throw new ClientAuthenticationError(
          `getAssertion returned ${typeof assertion === "string" ? "an empty string" : typeof assertion}: ` +
            "it must return the client assertion, a non-empty JWT string (or a promise of one).",
        );
      }
      last = Object.freeze([assertion]);
      form.set("client_assertion_type", JWT_BEARER_ASSERTION_TYPE);
      form.set("client_assertion", assertion);
    },
    secrets: () => last,
  });
}
