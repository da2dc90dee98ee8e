import { ClientAuthenticationError, type AccessToken, type HttpResponse } from "@credchain/core";
import { isJsonObject, lifetimeSeconds, parseJsonBody } from "@credchain/core/credential";
import { describeIdentity, type ManagedIdentityId } from "./ManagedIdentityId.js";
import { redactResponseText } from "./redactResponseText.js";

/** What the parser needs to know about the request a response answers. */
export interface ManagedIdentityResponseContext {
  /** The source's display name, e.g. `"IMDS"`. */
  readonly source: string;
  /** The endpoint without its query string. */
  readonly url: string;
  /** Clock time (ms) the request was sent: relative lifetimes count from there, erring early. */
  readonly requestedAt: number;
  readonly identity: ManagedIdentityId;
  /** Values to mask in anything taken from the answer (the identity header secret). */
  readonly secrets: readonly string[];
}

const MAX_TIMESTAMP = 8.64e15;
const TWO_HOURS_IN_MS = 2 * 3600 * 1000;

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/**
 * The error as each source writes it: IMDS, Arc and Cloud Shell `{error, error_description}`,
 * App Service `{statusCode, message, correlationId}`, Service Fabric `{error: {code, message}}`.
 */
function errorDetails(body: unknown): {
  code?: string;
  message?: string;
  correlationId?: string;
} {
  if (!isJsonObject(body)) return {};
  const nested = isJsonObject(body["error"]) ? body["error"] : undefined;
  const code = text(nested?.["code"]) ?? text(body["error"]);
  const message =
    text(nested?.["message"]) ?? text(body["error_description"]) ?? text(body["message"]);
  const correlationId = text(body["correlationId"]) ?? text(body["correlation_id"]);
  return {
    ...(code === undefined ? {} : { code }),
    ...(message === undefined ? {} : { message }),
    ...(correlationId === undefined ? {} : { correlationId }),
  };
}

function failure(response: HttpResponse, context: ManagedIdentityResponseContext): never {
  const details = errorDetails(parseJsonBody(response.body));
  const said =
    details.message ?? details.code ?? (response.body.trim() === "" ? "" : response.body);
  const detail =
    said === "" ? "with an empty body" : `"${redactResponseText(said, context.secrets)}"`;
  const hint =
    response.status === 400 && context.identity.kind !== "system"
      ? ` Check that the user-assigned identity (${describeIdentity(context.identity)}) is assigned to this resource.`
      : response.status === 400
        ? " Check that a system-assigned identity is enabled for this resource, or pass the user-assigned identity's clientId, resourceId or objectId."
        : "";
  throw new ClientAuthenticationError(
    `ManagedIdentityCredential (${context.source}): the endpoint ${context.url} answered ` +
      `${response.status} ${detail}.${hint}`,
    {
      statusCode: response.status,
      ...(details.code === undefined ? {} : { errorCode: details.code }),
      ...(details.correlationId === undefined ? {} : { correlationId: details.correlationId }),
    },
  );
}

function unusable(context: ManagedIdentityResponseContext, problem: string): never {
  throw new ClientAuthenticationError(
    `ManagedIdentityCredential (${context.source}): the endpoint ${context.url} answered 200 but ${problem}.`,
    { statusCode: 200 },
  );
}

/**
 * A managed identity endpoint's answer as an `AccessToken`. Lifetimes: `expires_in` (relative,
 * immune to clock skew) else `expires_on` (epoch seconds, number or string); `refresh_in` when
 * sent, else half the lifetime for tokens that live over two hours (as MSAL does: managed
 * identity tokens live about a day, and the endpoint caches them, so an early refresh is cheap).
 */
export function parseManagedIdentityResponse(
  response: HttpResponse,
  context: ManagedIdentityResponseContext,
): AccessToken {
  if (response.status !== 200) failure(response, context);
  const body = parseJsonBody(response.body);
  if (!isJsonObject(body)) unusable(context, "not with a JSON object");
  const token = body["access_token"];
  if (typeof token !== "string" || token === "") unusable(context, "without an access_token");
  const expiresIn = lifetimeSeconds(body["expires_in"]);
  const expiresOn = lifetimeSeconds(body["expires_on"]);
  const expiresOnTimestamp =
    expiresIn !== undefined
      ? context.requestedAt + expiresIn * 1000
      : expiresOn !== undefined
        ? expiresOn * 1000
        : undefined;
  if (expiresOnTimestamp === undefined || expiresOnTimestamp > MAX_TIMESTAMP) {
    unusable(context, "without a usable expires_in or expires_on");
  }
  if (expiresOnTimestamp <= context.requestedAt) {
    unusable(context, "with a token that has already expired");
  }
  const result: AccessToken = { token, expiresOnTimestamp, tokenType: "Bearer" };
  const refreshIn = lifetimeSeconds(body["refresh_in"]);
  const lifetime = expiresOnTimestamp - context.requestedAt;
  if (refreshIn !== undefined) {
    result.refreshAfterTimestamp = Math.min(
      context.requestedAt + refreshIn * 1000,
      expiresOnTimestamp,
    );
  } else if (lifetime > TWO_HOURS_IN_MS) {
    result.refreshAfterTimestamp = context.requestedAt + lifetime / 2;
  }
  return result;
}
