import { ClientAuthenticationError } from "@credchain/core";
import {
  JWT_BEARER_ASSERTION_TYPE,
  type ClientAuthentication,
  type ClientAuthenticationContext,
} from "@credchain/core/credential";
import type { CertificateLoader } from "./CertificateLoader.js";
import { signAssertion } from "./signAssertion.js";
import type { SigningCertificate } from "./SigningCertificate.js";

/** Recent assertions kept for masking: enough for every request that can be in flight at once. */
const MASKED_ASSERTIONS = 16;

/** Options of {@link certificateAuthentication}. */
export interface CertificateAuthenticationOptions {
  /** Add the `x5c` header (leaf first), for subject name + issuer authentication. */
  readonly sendCertificateChain: boolean;
}

/**
 * `private_key_jwt` with a certificate (oauth4webapi's `PrivateKeyJwt`): for each network request,
 * one fresh PS256 assertion (`aud` the token endpoint, `iss` = `sub` the client id, a new `jti`,
 * valid 10 minutes from the injected clock's now). A cache hit never reaches `authenticate`, so it
 * never signs. The file is checked for rotation first, and a certificate outside its validity
 * window fails the request here, with the dates, instead of at Entra.
 */
export function certificateAuthentication(
  loader: CertificateLoader,
  options: CertificateAuthenticationOptions,
): ClientAuthentication {
  const recent: string[] = [];
  return {
    method: "client_assertion",
    async authenticate(context: ClientAuthenticationContext, form: URLSearchParams): Promise<void> {
      let certificate: SigningCertificate;
      try {
        certificate = await loader.current();
      } catch (error) {
        // A rotated file that cannot be used: the request fails (the next one reads it again),
        // as an authentication failure of this credential, not as a bad argument of getToken.
        throw new ClientAuthenticationError(
          `ClientCertificateCredential: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      const now = context.clock.now();
      const problem = certificate.validityProblem(now, loader.what);
      if (problem !== undefined) {
        throw new ClientAuthenticationError(`ClientCertificateCredential: ${problem}`);
      }
      const assertion = await signAssertion(
        certificate,
        { aud: context.tokenEndpoint, clientId: context.clientId, now },
        options.sendCertificateChain,
      );
      recent.push(assertion);
      if (recent.length > MASKED_ASSERTIONS) recent.shift();
      form.set("client_assertion_type", JWT_BEARER_ASSERTION_TYPE);
      form.set("client_assertion", assertion);
    },
    secrets(): readonly string[] {
      return recent;
    },
  };
}
