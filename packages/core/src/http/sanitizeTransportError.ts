import { SecretRedactor } from "../entra/redact.js";

/** What explains a network failure; every other field of a transport's error stays behind. */
const KEPT_FIELDS = ["code", "errno", "syscall", "address", "port", "hostname"] as const;
const MAX_CAUSE_DEPTH = 4;
/** Form fields whose values are secrets whatever their length (a client's proof, a user's password). */
const SECRET_FIELDS: ReadonlySet<string> = new Set([
  "client_secret",
  "client_assertion",
  "assertion",
  "password",
  "refresh_token",
  "code",
]);

/** Form fields that say who is asking for what: quoting them explains an error, and hides nothing. */
const PUBLIC_FIELDS: ReadonlySet<string> = new Set([
  "client_id",
  "grant_type",
  "scope",
  "client_assertion_type",
  "claims",
  "resource",
]);

/**
 * The values a request body carries, so a message quoting them can be masked in any encoding. A
 * form body's secret fields whatever their length, its other values (but the public ones) from 6
 * characters on; any other body as a whole.
 */
function bodyValues(body: string | undefined): string[] {
  if (body === undefined || body === "") return [];
  const values = [body];
  try {
    for (const [name, value] of new URLSearchParams(body)) {
      // Short values that are not secrets (a grant type, "1") would only shred messages.
      if (SECRET_FIELDS.has(name) || (!PUBLIC_FIELDS.has(name) && value.length >= 6)) {
        values.push(value);
      }
    }
  } catch {
    // Not a form: the body as a whole is all there is to mask.
  }
  return values;
}

function sanitize(error: unknown, redactor: SecretRedactor, depth: number): Error {
  const mask = (text: string): string => redactor.maskSecrets(text);
  if (!(error instanceof Error)) return new Error(mask(String(error)));
  const copy = new Error(mask(error.message));
  Object.defineProperty(copy, "name", { value: error.name, configurable: true, writable: true });
  if (error.stack !== undefined) copy.stack = mask(error.stack);
  const fields = error as unknown as Record<string, unknown>;
  for (const field of KEPT_FIELDS) {
    const value = fields[field];
    if (typeof value === "string") Object.assign(copy, { [field]: mask(value) });
    else if (typeof value === "number") Object.assign(copy, { [field]: value });
  }
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH) {
    copy.cause = sanitize(error.cause, redactor, depth + 1);
  }
  return copy;
}

/**
 * A transport's error, reduced to its name, message, stack, network fields (`code`, `syscall`,
 * `address`, ...) and the same of its causes, with anything the request body held masked in any
 * encoding (raw, percent-encoded in either case, form-encoded, JSON-escaped). A
 * transport's error may hold the request it failed to send: `@azure/core-rest-pipeline`'s
 * `RestError.request.body` is the token request's form, client secret included. Only this copy
 * leaves the pipeline, in events, spans, logs and `cause`.
 */
export function sanitizeTransportError(error: unknown, requestBody: string | undefined): Error {
  return sanitize(error, new SecretRedactor(bodyValues(requestBody)), 0);
}
