import type { GetTokenOptions } from "./GetTokenOptions.js";
import { checkDuration } from "./time/duration.js";

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

/**
 * Checks one call's options, on every call, hit or miss: a mistake must surface on the call that
 * makes it, not hours later when the cached token runs out. A few `typeof` checks; `method` (e.g.
 * `"ClientSecretCredential.getToken"`) starts every message.
 */
export function checkGetTokenOptions(options: unknown, method: string): void {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${method}: options must be an object when given.`);
  }
  const { abortSignal, claims, tenantId, enableCae, requestOptions } = options as GetTokenOptions;
  if (abortSignal !== undefined && !isAbortSignal(abortSignal)) {
    throw new TypeError(
      `${method}: options.abortSignal must be an AbortSignal, e.g. new AbortController().signal or AbortSignal.timeout(5000); got ${abortSignal === null ? "null" : typeof abortSignal}.`,
    );
  }
  if (claims !== undefined && typeof claims !== "string") {
    throw new TypeError(
      `${method}: options.claims must be a string (the JSON claims challenge from a WWW-Authenticate header, base64-decoded); got ${claims === null ? "null" : Array.isArray(claims) ? "an array" : typeof claims}.`,
    );
  }
  if (tenantId !== undefined && typeof tenantId !== "string") {
    throw new TypeError(
      `${method}: options.tenantId must be a tenant id string; got ${tenantId === null ? "null" : typeof tenantId}.`,
    );
  }
  if (enableCae !== undefined && typeof enableCae !== "boolean") {
    throw new TypeError(`${method}: options.enableCae must be true or false.`);
  }
  if (requestOptions !== undefined) {
    if (typeof requestOptions !== "object" || requestOptions === null) {
      throw new TypeError(
        `${method}: options.requestOptions must be an object, e.g. { timeout: 5000 }.`,
      );
    }
    if (requestOptions.timeout !== undefined) {
      checkDuration(`${method}: requestOptions.timeout`, requestOptions.timeout, 0, {
        allowZero: false,
      });
    }
  }
}
