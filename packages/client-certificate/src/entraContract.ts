// TEMPORARY: PLAN.md contract 2, verbatim, until the entra branch's core exports it. Replaced by
// imports from @credchain/core/credential at the merge.
import type { Clock } from "@credchain/core";

export interface ClientAuthenticationContext {
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly signal: AbortSignal;
  readonly clock: Clock;
}

export interface ClientAuthentication {
  readonly method: "client_secret" | "client_assertion";
  authenticate(context: ClientAuthenticationContext, form: URLSearchParams): void | Promise<void>;
  secrets(): readonly string[];
}
