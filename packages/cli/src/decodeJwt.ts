import { UsageError } from "./UsageError.js";

/** A JWT's two readable parts. The signature is neither decoded nor checked. */
export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
}

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

function decodePart(part: string | undefined, what: string): Record<string, unknown> {
  if (part === undefined || !BASE64URL.test(part)) {
    throw new UsageError(
      `the token's ${what} is not base64url; pass a JWT (three dot-separated parts).`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    throw new UsageError(
      `the token's ${what} is not JSON; pass a JWT (three dot-separated parts).`,
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`the token's ${what} is not a JSON object; pass a JWT.`);
  }
  return value as Record<string, unknown>;
}

/**
 * Splits and decodes a compact JWT (`header.payload.signature`), accepting a leading `Bearer `.
 * Never verifies anything: what it returns is only what the token says about itself.
 */
export function decodeJwt(input: string): DecodedJwt {
  const token = input.trim().replace(/^Bearer\s+/i, "");
  const parts = token.split(".");
  if (parts.length !== 3) {
    throw new UsageError(
      `expected a JWT of three dot-separated parts, got ${parts.length} part${parts.length === 1 ? "" : "s"}.`,
    );
  }
  return { header: decodePart(parts[0], "header"), claims: decodePart(parts[1], "payload") };
}

/** The claim as a Unix time in seconds, when it is one. */
function seconds(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** Seconds since the epoch as an ISO 8601 date, e.g. `2026-12-01T21:30:00.000Z`. */
function isoDate(value: number): string {
  return new Date(value * 1000).toISOString();
}

/**
 * What `credchain decode` prints: the facts people look for first (audience, expiry as a date,
 * roles, CAE capabilities), then the header and every claim as sent.
 */
export function describeJwt(decoded: DecodedJwt, nowInMs: number): Record<string, unknown> {
  const { claims } = decoded;
  const summary: Record<string, unknown> = {};
  for (const name of [
    "aud",
    "iss",
    "tid",
    "appid",
    "azp",
    "oid",
    "sub",
    "scp",
    "roles",
    "xms_cc",
  ]) {
    if (claims[name] !== undefined) summary[name] = claims[name];
  }
  for (const name of ["nbf", "iat"]) {
    const value = seconds(claims[name]);
    if (value !== undefined) summary[name] = isoDate(value);
  }
  const exp = seconds(claims["exp"]);
  if (exp !== undefined) {
    summary["exp"] = isoDate(exp);
    summary["expired"] = exp * 1000 <= nowInMs;
  }
  return { signatureVerified: false, summary, header: decoded.header, claims };
}
