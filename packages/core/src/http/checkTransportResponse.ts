/**
 * What is wrong with what a transport resolved, or `undefined` when it is a usable
 * `HttpResponse`. Never quotes the value: a malformed response could hold anything.
 */
export function checkTransportResponse(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) {
    return `expected a response object, got ${value === null ? "null" : typeof value}`;
  }
  const response = value as { status?: unknown; headers?: unknown; body?: unknown };
  if (
    typeof response.status !== "number" ||
    !Number.isInteger(response.status) ||
    response.status < 100 ||
    response.status > 599
  ) {
    return "status is not an HTTP status code (an integer from 100 to 599)";
  }
  if (typeof response.headers !== "object" || response.headers === null) {
    return "headers is not an object";
  }
  if (typeof response.body !== "string") return `body is ${typeof response.body}, not a string`;
  return undefined;
}
