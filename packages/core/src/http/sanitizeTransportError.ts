/** What explains a network failure; every other field of a transport's error stays behind. */
const KEPT_FIELDS = ["code", "errno", "syscall", "address", "port", "hostname"] as const;
const MAX_CAUSE_DEPTH = 4;
const MASK = "[REDACTED]";

/**
 * The values a request body carries, longest first, so a message quoting them can be masked. A
 * form body's values (the client secret among them) one by one; any other body as a whole.
 */
function bodyValues(body: string | undefined): string[] {
  if (body === undefined || body === "") return [];
  const values = [body];
  try {
    for (const [, value] of new URLSearchParams(body)) {
      // Short values (a grant type, "1") are not worth masking and would shred messages.
      if (value.length >= 6) values.push(value, encodeURIComponent(value));
    }
  } catch {
    // Not a form: the body as a whole is all there is to mask.
  }
  return values.sort((a, b) => b.length - a.length);
}

function mask(text: string, values: readonly string[]): string {
  let masked = text;
  for (const value of values) if (masked.includes(value)) masked = masked.split(value).join(MASK);
  return masked;
}

function sanitize(error: unknown, values: readonly string[], depth: number): Error {
  if (!(error instanceof Error)) return new Error(mask(String(error), values));
  const copy = new Error(mask(error.message, values));
  Object.defineProperty(copy, "name", { value: error.name, configurable: true, writable: true });
  if (error.stack !== undefined) copy.stack = mask(error.stack, values);
  const fields = error as unknown as Record<string, unknown>;
  for (const field of KEPT_FIELDS) {
    const value = fields[field];
    if (typeof value === "string") Object.assign(copy, { [field]: mask(value, values) });
    else if (typeof value === "number") Object.assign(copy, { [field]: value });
  }
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH) {
    copy.cause = sanitize(error.cause, values, depth + 1);
  }
  return copy;
}

/**
 * A transport's error, reduced to its name, message, stack, network fields (`code`, `syscall`,
 * `address`, ...) and the same of its causes, with anything the request body held masked. A
 * transport's error may hold the request it failed to send: `@azure/core-rest-pipeline`'s
 * `RestError.request.body` is the token request's form, client secret included. Only this copy
 * leaves the pipeline, in events, spans, logs and `cause`.
 */
export function sanitizeTransportError(error: unknown, requestBody: string | undefined): Error {
  return sanitize(error, bodyValues(requestBody), 0);
}
