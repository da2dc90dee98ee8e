import type { AccessToken } from "../AccessToken.js";
import type { HttpResponse } from "../http/HttpTransport.js";
import {
  errorResponse,
  nonJsonError,
  unexpectedSuccess,
  type JsonObject,
  type TokenErrorContext,
} from "./tokenEndpointError.js";
import { isJsonObject, lifetimeSeconds, parseJsonBody } from "./tokenResponseJson.js";

/** What the parser needs to know about the request a response answers. */
export interface TokenResponseContext extends TokenErrorContext {
  /** Clock time (ms) just before the request was sent: lifetimes count from there, erring early. */
  readonly requestedAt: number;
  /** Clock time (ms) when the response arrived: a token already expired by then is refused. */
  readonly receivedAt: number;
  /**
   * Called when `expires_on` and `expires_in` disagree by more than a minute, which means one of
   * the two clocks is off; `skewInMs` is how far the server's expiry is ahead of ours.
   */
  readonly onClockSkew?: (skewInMs: number) => void;
}

/** Past this disagreement between `expires_on` and `expires_in`, a clock is off, not the network. */
const SKEW_TOLERANCE_IN_MS = 60_000;

/** The latest moment a `Date` can hold, in ms: any expiry past it is nonsense, not "forever". */
const MAX_TIMESTAMP = 8.64e15;

/**
 * `"pop"` when the server says so, else `"Bearer"`: the client credentials grant only issues
 * bearer tokens, and `@azure/identity` reports every such token as `"Bearer"` too.
 */
function tokenType(value: unknown): "Bearer" | "pop" {
  return typeof value === "string" && value.trim().toLowerCase() === "pop" ? "pop" : "Bearer";
}

/** The expiry to use (ms), or why there is none that a caller could use. */
type Lifetime = { expiresOnTimestamp: number } | { problem: string };

/**
 * `expires_in` (relative, measured from before the request) is preferred over `expires_on`
 * (absolute): it is immune to clock skew between this machine and the server. A token that has
 * expired by the time it arrives (`expires_in: 0`, an `expires_on` in the past, or a lifetime
 * that ran out in transit) is no token: returning it would fail the caller's request and send
 * every later call back to the network.
 */
function lifetime(body: JsonObject, context: TokenResponseContext): Lifetime {
  const expiresIn = lifetimeSeconds(body["expires_in"]);
  const expiresOn = lifetimeSeconds(body["expires_on"]);
  const absolute = expiresOn === undefined ? undefined : expiresOn * 1000;
  if (expiresIn !== undefined) {
    const relative = context.requestedAt + expiresIn * 1000;
    if (relative <= MAX_TIMESTAMP) {
      if (expiresIn === 0) return { problem: "the token has already expired (expires_in is 0)" };
      if (relative <= context.receivedAt) {
        return {
          problem: `the token's lifetime (expires_in ${expiresIn} s) ran out before the response arrived`,
        };
      }
      if (
        absolute !== undefined &&
        absolute <= MAX_TIMESTAMP &&
        Math.abs(absolute - relative) > SKEW_TOLERANCE_IN_MS
      ) {
        context.onClockSkew?.(absolute - relative);
      }
      return { expiresOnTimestamp: relative };
    }
  }
  if (absolute === undefined || absolute > MAX_TIMESTAMP) {
    return { problem: "it has no usable expires_in or expires_on (seconds)" };
  }
  if (absolute <= context.receivedAt) {
    return {
      problem:
        "the token has already expired (expires_on is in the past and there is no expires_in); " +
        "if this machine's clock is ahead, correct it",
    };
  }
  return { expiresOnTimestamp: absolute };
}

/**
 * Reads a token endpoint response. A 2xx with a token and a lifetime still ahead becomes an
 * `AccessToken`; anything else becomes a `ClientAuthenticationError` carrying what the server said
 * (status, `error`, AADSTS codes, correlation and trace ids) with the secrets and any token masked.
 */
export function parseTokenResponse(
  response: HttpResponse,
  context: TokenResponseContext,
): AccessToken {
  const json = parseJsonBody(response.body);
  if (!isJsonObject(json)) {
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
  const expiry = lifetime(json, context);
  if ("problem" in expiry) throw unexpectedSuccess(response, json, expiry.problem, context);
  const result: AccessToken = {
    token,
    expiresOnTimestamp: expiry.expiresOnTimestamp,
    tokenType: tokenType(json["token_type"]),
  };
  const refreshIn = lifetimeSeconds(json["refresh_in"]);
  if (refreshIn !== undefined && refreshIn > 0) {
    result.refreshAfterTimestamp = context.requestedAt + refreshIn * 1000;
  }
  return result;
}
