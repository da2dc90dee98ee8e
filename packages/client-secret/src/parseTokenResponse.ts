import { ClientAuthenticationError, type AccessToken, type HttpResponse } from "@credchain/core";
import { excerpt, redactBody, redactText } from "./redact.js";

/** What the parser needs to know about the request a response answers. */
export interface TokenResponseContext {
  /** Clock time (ms) when the request was sent: lifetimes count from there, erring early. */
  requestedAt: number;
  /** The token endpoint, for messages. Holds no secret. */
  url: string;
  /** Removed from anything the server sends back before it reaches an error. */
  secret: string;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Seconds as Entra writes them: a JSON number, or (some token services) a numeric string. */
function seconds(value: unknown): number | undefined {
  const parsed =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^\s*\d+(?:\.\d+)?\s*$/.test(value)
        ? Number(value)
        : undefined;
  return parsed !== undefined && Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

/** The latest moment a `Date` can hold, in ms: any expiry past it is nonsense, not "forever". */
const MAX_TIMESTAMP = 8.64e15;

/** A response header by name, whatever case a custom transport kept it in. */
function header(response: HttpResponse, name: string): string | undefined {
  const exact = response.headers[name];
  if (exact !== undefined) return exact;
  for (const [key, value] of Object.entries(response.headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

function stringField(body: JsonObject, name: string): string | undefined {
  const value = body[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * `"pop"` when the server says so, else `"Bearer"`: the client credentials grant with a secret
 * only issues bearer tokens, and `@azure/identity` reports every such token as `"Bearer"` too.
 */
function tokenType(value: unknown): "Bearer" | "pop" {
  return typeof value === "string" && value.trim().toLowerCase() === "pop" ? "pop" : "Bearer";
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describeBody(response: HttpResponse, secret: string): string {
  return response.body.trim() === ""
    ? "an empty body"
    : // Quoted but not escaped: a JSON body stays readable inside the message.
      `"${excerpt(redactText(response.body, secret))}"`;
}

/**
 * `expires_in` (relative) is preferred over `expires_on` (absolute): a relative lifetime is
 * immune to clock skew between this machine and the server.
 */
function expiry(body: JsonObject, requestedAt: number): number | undefined {
  const expiresIn = seconds(body["expires_in"]);
  const relative = expiresIn === undefined ? undefined : requestedAt + expiresIn * 1000;
  if (relative !== undefined && relative <= MAX_TIMESTAMP) return relative;
  const expiresOn = seconds(body["expires_on"]);
  const absolute = expiresOn === undefined ? undefined : expiresOn * 1000;
  return absolute !== undefined && absolute <= MAX_TIMESTAMP ? absolute : undefined;
}

/** The AADSTS numbers: `error_codes`, else the `AADSTSnnnn` the description starts with. */
function aadstsCodes(body: JsonObject, description: string | undefined): number[] | undefined {
  const listed = body["error_codes"];
  if (Array.isArray(listed)) {
    const codes = (listed as unknown[])
      .map((code) => (typeof code === "string" ? Number(code) : code))
      .filter((code): code is number => typeof code === "number" && Number.isInteger(code));
    if (codes.length > 0) return codes;
  }
  const match = description === undefined ? null : /AADSTS(\d+)/.exec(description);
  return match?.[1] === undefined ? undefined : [Number(match[1])];
}

function nonJsonError(
  response: HttpResponse,
  context: TokenResponseContext,
): ClientAuthenticationError {
  const contentType = header(response, "content-type") ?? "none";
  const claimsJson = /json/i.test(contentType);
  return new ClientAuthenticationError(
    `ClientSecretCredential: the token endpoint ${context.url} returned a non-JSON response ` +
      `(status ${response.status}, content-type ${contentType}): ${describeBody(response, context.secret)}. ` +
      (claimsJson ? "The body is labelled JSON but does not parse, as if it was cut off. " : "") +
      "Check the authority and any proxy or gateway between this process and it: " +
      "something other than Microsoft Entra answered.",
    { statusCode: response.status },
  );
}

function unexpectedSuccess(
  response: HttpResponse,
  body: JsonObject,
  problem: string,
  context: TokenResponseContext,
): ClientAuthenticationError {
  const masked = redactBody(body, context.secret);
  return new ClientAuthenticationError(
    `ClientSecretCredential: unexpected response from the token endpoint ${context.url} ` +
      `(status ${response.status}): ${problem}. Response: ${excerpt(JSON.stringify(masked), 300)}. ` +
      "Check that the authority is a Microsoft Entra endpoint.",
    { statusCode: response.status, cause: masked },
  );
}

function errorResponse(
  response: HttpResponse,
  body: JsonObject,
  context: TokenResponseContext,
): ClientAuthenticationError {
  const secret = context.secret;
  // Every string taken from the response is masked: they all reach the message or a field.
  const masked = (value: string | undefined): string | undefined =>
    value === undefined ? undefined : redactText(value, secret);
  const errorCode = masked(stringField(body, "error"));
  const description = masked(stringField(body, "error_description"));
  const correlationId = masked(
    stringField(body, "correlation_id") ?? header(response, "client-request-id"),
  );
  const traceId = masked(stringField(body, "trace_id") ?? header(response, "x-ms-request-id"));
  // Entra's description repeats trace id, correlation id and timestamp on later lines; the
  // first line is the explanation, and the ids follow once, labelled.
  const explanation =
    description === undefined
      ? `response: ${describeBody(response, secret)}`
      : (description.split(/\r?\n/)[0] ?? description).trim();
  const ids = [
    correlationId === undefined ? undefined : `Correlation ID: ${correlationId}`,
    traceId === undefined ? undefined : `Trace ID: ${traceId}`,
  ].filter((part) => part !== undefined);
  return new ClientAuthenticationError(
    `ClientSecretCredential authentication failed: the token endpoint ${context.url} answered ` +
      `${response.status}${errorCode === undefined ? "" : ` ${errorCode}`}: ${explanation}` +
      (ids.length === 0 ? "" : ` (${ids.join(", ")})`),
    {
      statusCode: response.status,
      ...(errorCode === undefined ? {} : { errorCode }),
      ...optional("errorCodes", aadstsCodes(body, description)),
      ...optional("correlationId", correlationId),
      ...optional("traceId", traceId),
      cause: redactBody(body, secret),
    },
  );
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * Reads a token endpoint response. A 2xx with a token and a lifetime becomes an `AccessToken`;
 * anything else becomes a `ClientAuthenticationError` carrying what the server said (status,
 * `error`, AADSTS codes, correlation and trace ids) with the secret and any token masked.
 */
export function parseTokenResponse(
  response: HttpResponse,
  context: TokenResponseContext,
): AccessToken {
  const json = parseJson(response.body);
  if (!isObject(json)) {
    if (json === undefined) throw nonJsonError(response, context);
    // Valid JSON but not an object (`null`, an array): handled as an unexpected body.
    throw unexpectedSuccess(response, { body: json }, "the body is not a JSON object", context);
  }
  if (response.status < 200 || response.status >= 300) {
    throw errorResponse(response, json, context);
  }
  const token = json["access_token"];
  if (typeof token !== "string" || token === "") {
    throw unexpectedSuccess(response, json, "it has no access_token", context);
  }
  const expiresOnTimestamp = expiry(json, context.requestedAt);
  if (expiresOnTimestamp === undefined) {
    throw unexpectedSuccess(
      response,
      json,
      "it has no usable expires_in or expires_on (seconds)",
      context,
    );
  }
  const result: AccessToken = {
    token,
    expiresOnTimestamp,
    tokenType: tokenType(json["token_type"]),
  };
  const refreshIn = seconds(json["refresh_in"]);
  if (refreshIn !== undefined && refreshIn > 0) {
    result.refreshAfterTimestamp = context.requestedAt + refreshIn * 1000;
  }
  return result;
}
