/**
 * How long the server asked us to wait, in ms, or `undefined` if it did not say. Understands the
 * Azure `retry-after-ms` / `x-ms-retry-after-ms` headers and `Retry-After` in seconds or as an
 * HTTP-date (measured against the injected clock's `now`).
 */
export function retryAfterInMs(headers: Record<string, string>, now: number): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = headers[name];
    if (value !== undefined) {
      const ms = Number(value);
      if (Number.isFinite(ms) && ms >= 0) return ms;
    }
  }
  const value = headers["retry-after"]?.trim();
  if (value === undefined || value === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
