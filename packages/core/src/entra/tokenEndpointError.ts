import type { HttpResponse } from "../http/HttpTransport.js";
import { ClientAuthenticationError } from "../errors/ClientAuthenticationError.js";
import { retryAfterInMs } from "../http/retryAfter.js";
import { excerpt, type SecretRedactor } from "./redact.js";

/** What an error about a token endpoint answer needs to know about the request it answers. */
export interface TokenErrorContext {
  /** Named in every message: the credential the user created, e.g. `"ClientSecretCredential"`. */
  readonly credentialName: string;
  /** The token endpoint, for messages. Holds no secret. */
  readonly url: string;
  /** Masks the client's secrets (and tokens) in anything taken from the response. */
  readonly redactor: SecretRedactor;
  /**
   * Clock time (ms) when the response arrived: a `Retry-After` HTTP-date is measured from it.
   * Without it, an HTTP-date is measured from `Date.now()`.
   */
  readonly receivedAt?: number;
}

/** A parsed JSON object body. */
export type JsonObject = Record<string, unknown>;

/** A response header by name, whatever case a custom transport kept it in. */
export function responseHeader(response: HttpResponse, name: string): string | undefined {
  const exact = response.headers[name];
  if (exact !== undefined) return exact;
  for (const [key, value] of Object.entries(response.headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

const RETRY_AFTER_HEADERS = ["retry-after-ms", "x-ms-retry-after-ms", "retry-after"] as const;

/**
 * How long the server asked to wait (ms), whatever case a custom transport kept the headers in:
 * the pipeline's own reading of `Retry-After`, `retry-after-ms` and `x-ms-retry-after-ms`.
 */
export function serverRetryAfterInMs(
  response: HttpResponse,
  context: TokenErrorContext,
): number | undefined {
  const headers: Record<string, string> = {};
  for (const name of RETRY_AFTER_HEADERS) {
    const value = responseHeader(response, name);
    if (value !== undefined) headers[name] = value;
  }
  const asked = retryAfterInMs(headers, context.receivedAt ?? Date.now());
  return asked !== undefined && Number.isFinite(asked) ? asked : undefined;
}

function stringField(body: JsonObject, name: string): string | undefined {
  const value = body[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function describeBody(response: HttpResponse, redactor: SecretRedactor): string {
  return response.body.trim() === ""
    ? "an empty body"
    : // Quoted but not escaped: a JSON body stays readable inside the message.
      `"${excerpt(redactor.redactText(response.body))}"`;
}

/** The AADSTS numbers: `error_codes`, else the `AADSTSnnnn` the description starts with. */
export function aadstsCodes(
  body: JsonObject,
  description: string | undefined,
): number[] | undefined {
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

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Something other than Entra answered: the body does not parse as JSON. */
export function nonJsonError(
  response: HttpResponse,
  context: TokenErrorContext,
): ClientAuthenticationError {
  const contentType = responseHeader(response, "content-type") ?? "none";
  const claimsJson = /json/i.test(contentType);
  return new ClientAuthenticationError(
    `${context.credentialName}: the token endpoint ${context.url} returned a non-JSON response ` +
      `(status ${response.status}, content-type ${contentType}): ${describeBody(response, context.redactor)}. ` +
      (claimsJson ? "The body is labelled JSON but does not parse, as if it was cut off. " : "") +
      "Check the authority and any proxy or gateway between this process and it: " +
      "something other than Microsoft Entra answered.",
    {
      statusCode: response.status,
      ...optional("retryAfterInMs", serverRetryAfterInMs(response, context)),
    },
  );
}

/** A JSON answer that is not a usable token: `problem` says what is wrong with it. */
export function unexpectedSuccess(
  response: HttpResponse,
  body: unknown,
  problem: string,
  context: TokenErrorContext,
): ClientAuthenticationError {
  const masked = context.redactor.redactBody(body);
  return new ClientAuthenticationError(
    `${context.credentialName}: unexpected response from the token endpoint ${context.url} ` +
      `(status ${response.status}): ${problem}. Response: ${excerpt(JSON.stringify(masked), 300)}. ` +
      "Check that the authority is a Microsoft Entra endpoint.",
    {
      statusCode: response.status,
      ...optional("retryAfterInMs", serverRetryAfterInMs(response, context)),
      cause: masked,
    },
  );
}

/**
 * Entra's error answer (`error`, `error_description`, `error_codes`, `correlation_id`,
 * `trace_id`) as a `ClientAuthenticationError` with those fields, every string masked.
 */
export function errorResponse(
  response: HttpResponse,
  body: JsonObject,
  context: TokenErrorContext,
): ClientAuthenticationError {
  const { redactor } = context;
  // Every string taken from the response is masked: they all reach the message or a field.
  const masked = (value: string | undefined): string | undefined =>
    value === undefined ? undefined : redactor.redactText(value);
  const errorCode = masked(stringField(body, "error"));
  const description = masked(stringField(body, "error_description"));
  const correlationId = masked(
    stringField(body, "correlation_id") ?? responseHeader(response, "client-request-id"),
  );
  const traceId = masked(
    stringField(body, "trace_id") ?? responseHeader(response, "x-ms-request-id"),
  );
  // Entra's description repeats trace id, correlation id and timestamp on later lines; the
  // first line is the explanation, and the ids follow once, labelled.
  const explanation =
    description === undefined
      ? `response: ${describeBody(response, redactor)}`
      : (description.split(/\r?\n/)[0] ?? description).trim();
  const ids = [
    correlationId === undefined ? undefined : `Correlation ID: ${correlationId}`,
    traceId === undefined ? undefined : `Trace ID: ${traceId}`,
  ].filter((part) => part !== undefined);
  return new ClientAuthenticationError(
    `${context.credentialName} authentication failed: the token endpoint ${context.url} answered ` +
      `${response.status}${errorCode === undefined ? "" : ` ${errorCode}`}: ${explanation}` +
      (ids.length === 0 ? "" : ` (${ids.join(", ")})`),
    {
      statusCode: response.status,
      ...(errorCode === undefined ? {} : { errorCode }),
      ...optional("errorCodes", aadstsCodes(body, description)),
      ...optional("correlationId", correlationId),
      ...optional("traceId", traceId),
      ...optional("retryAfterInMs", serverRetryAfterInMs(response, context)),
      cause: redactor.redactBody(body),
    },
  );
}
