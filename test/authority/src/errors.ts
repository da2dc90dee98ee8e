/**
 * The JSON body Entra ID returns for a failed token request. Field order and formatting follow
 * what the real service sends, so parsers written against this authority also work in production.
 */
export interface AadErrorBody {
  readonly error: string;
  /** `AADSTSnnnn: message` followed by `\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …`. */
  readonly error_description: string;
  readonly error_codes: number[];
  /** `YYYY-MM-DD HH:MM:SSZ`, like Entra. */
  readonly timestamp: string;
  readonly trace_id: string;
  readonly correlation_id: string;
  readonly error_uri: string;
}

/** An error the authority is about to send: HTTP status, OAuth error code and AADSTS code. */
export interface AadError {
  readonly status: number;
  readonly error: string;
  readonly code: number;
  /** Message without the `AADSTSnnnn: ` prefix. */
  readonly message: string;
}

/** Per-request values stamped into an error body. */
export interface AadErrorContext {
  readonly traceId: string;
  readonly correlationId: string;
  /** Epoch milliseconds. */
  readonly now: number;
}

/** Formats epoch milliseconds the way Entra writes timestamps in error bodies. */
export function formatAadTimestamp(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19).replace("T", " ")}Z`;
}

/** Builds the exact JSON body Entra would send for `err`. */
export function aadErrorBody(err: AadError, ctx: AadErrorContext): AadErrorBody {
  const timestamp = formatAadTimestamp(ctx.now);
  return {
    error: err.error,
    error_description:
      `AADSTS${err.code}: ${err.message}\r\nTrace ID: ${ctx.traceId}` +
      `\r\nCorrelation ID: ${ctx.correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [err.code],
    timestamp,
    trace_id: ctx.traceId,
    correlation_id: ctx.correlationId,
    // Entra points at its public error lookup page; keeping it means links in logs stay useful.
    error_uri: `https://login.microsoftonline.com/error?code=${err.code}`,
  };
}

/** The AADSTS errors the authority can produce, with Entra's wording. */
export const aadErrors = {
  invalidClientSecret: (clientId: string): AadError => ({
    status: 401,
    error: "invalid_client",
    code: 7000215,
    message:
      "Invalid client secret provided. Ensure the secret being sent in the request is the client " +
      `secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
  }),
  missingClientSecret: (): AadError => ({
    status: 401,
    error: "invalid_client",
    code: 7000218,
    message:
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  }),
  unknownClient: (clientId: string, tenant: string): AadError => ({
    status: 400,
    error: "unauthorized_client",
    code: 700016,
    message:
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. ` +
      "This can happen if the application has not been installed by the administrator of the " +
      "tenant or consented to by any user in the tenant. You may have sent your authentication " +
      "request to the wrong tenant.",
  }),
  invalidScope: (scope: string): AadError => ({
    status: 400,
    error: "invalid_scope",
    code: 1002012,
    message:
      `The provided value for scope ${scope} is not valid. Client credential flows must have a ` +
      "scope value with /.default suffixed to the resource identifier (application ID URI).",
  }),
  multipleResources: (scope: string): AadError => ({
    status: 400,
    error: "invalid_scope",
    code: 28000,
    message:
      "Provided value for the input parameter scope is not valid because it contains more than " +
      `one resource. Scope ${scope} is not valid.`,
  }),
  unsupportedGrantType: (grantType: string): AadError => ({
    status: 400,
    error: "unsupported_grant_type",
    code: 70003,
    message: `The app requested an unsupported grant type '${grantType}'.`,
  }),
  missingParameter: (name: string): AadError => ({
    status: 400,
    error: "invalid_request",
    code: 900144,
    message: `The request body must contain the following parameter: '${name}'.`,
  }),
  tenantNotFound: (tenant: string): AadError => ({
    status: 400,
    error: "invalid_request",
    code: 90002,
    message:
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are ` +
      "signing into the correct cloud. Check with your subscription administrator, this may " +
      "happen if there are no active subscriptions for the tenant.",
  }),
  postOnly: (method: string): AadError => ({
    status: 405,
    error: "invalid_request",
    code: 900561,
    message: `The endpoint only accepts POST requests. Received a ${method} request.`,
  }),
  malformedRequest: (detail: string): AadError => ({
    status: 400,
    error: "invalid_request",
    code: 9002313,
    message: `Invalid request. Request is malformed or invalid. ${detail}`,
  }),
  bodyTooLarge: (limit: number): AadError => ({
    status: 413,
    error: "invalid_request",
    code: 9002313,
    message: `Invalid request. Request is malformed or invalid. The request body exceeds ${limit} bytes.`,
  }),
  /** Default body for a programmed `status` fault, chosen by status like Entra would. */
  forStatus: (status: number): AadError => {
    if (status === 429) {
      return {
        status,
        error: "temporarily_unavailable",
        code: 90055,
        message: "There are too many incoming requests. Please try again later.",
      };
    }
    if (status === 503 || status === 504) {
      return {
        status,
        error: "temporarily_unavailable",
        code: 90024,
        message: "A transient error has occurred. Please try again.",
      };
    }
    if (status >= 500) {
      return {
        status,
        error: "server_error",
        code: 50000,
        message: "There was an error issuing a token or an issue with our sign-in service.",
      };
    }
    return {
      status,
      error: "invalid_request",
      code: 9002313,
      message: "Invalid request. Request is malformed or invalid.",
    };
  },
} as const;
