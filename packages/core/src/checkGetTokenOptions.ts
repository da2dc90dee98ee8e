import type { GetTokenOptions } from "./GetTokenOptions.js";
import { checkDuration, MAX_DURATION_IN_MS } from "./time/duration.js";

/** Whether `value` behaves as an `AbortSignal` (matched by shape: another realm's signal is fine). */
function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<AbortSignal>).aborted === "boolean" &&
    typeof (value as Partial<AbortSignal>).addEventListener === "function" &&
    typeof (value as Partial<AbortSignal>).removeEventListener === "function"
  );
}

/** `null`, `an array` or the `typeof`: what a message may say about a value, never the value. */
function kindOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

/**
 * Checks one call's options, on every call, hit or miss: a mistake must surface on the call that
 * makes it, not hours later when the cached token runs out. A few `typeof` checks and no
 * allocation unless something is wrong; `owner` and `method` (e.g. `"ClientSecretCredential"`,
 * `"getToken"`) start every message.
 */
export function checkGetTokenOptions(options: unknown, owner: string, method: string): void {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${owner}.${method}: options must be an object when given.`);
  }
  const { abortSignal, claims, tenantId, enableCae, requestOptions } = options as GetTokenOptions;
  if (abortSignal !== undefined && !isAbortSignal(abortSignal)) {
    throw new TypeError(
      `${owner}.${method}: options.abortSignal must be an AbortSignal, e.g. new AbortController().signal or AbortSignal.timeout(5000); got ${kindOf(abortSignal)}.`,
    );
  }
  if (claims !== undefined && typeof claims !== "string") {
    throw new TypeError(
      `${owner}.${method}: options.claims must be a string (the JSON claims challenge from a WWW-Authenticate header, base64-decoded); got ${kindOf(claims)}.`,
    );
  }
  if (tenantId !== undefined && typeof tenantId !== "string") {
    throw new TypeError(
      `${owner}.${method}: options.tenantId must be a tenant id string; got ${kindOf(tenantId)}.`,
    );
  }
  if (enableCae !== undefined && typeof enableCae !== "boolean") {
    throw new TypeError(`${owner}.${method}: options.enableCae must be true or false.`);
  }
  if (requestOptions !== undefined) {
    if (typeof requestOptions !== "object" || requestOptions === null) {
      throw new TypeError(
        `${owner}.${method}: options.requestOptions must be an object, e.g. { timeout: 5000 }.`,
      );
    }
    const timeout: unknown = requestOptions.timeout;
    // Checked here only when it is not plainly fine, so the usual call builds no message.
    if (
      timeout !== undefined &&
      !(typeof timeout === "number" && timeout > 0 && timeout <= MAX_DURATION_IN_MS)
    ) {
      checkDuration(`${owner}.${method}: requestOptions.timeout`, timeout, 0, { allowZero: false });
    }
  }
}
