import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  type LocalAuthority,
} from "../src/index.js";

export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

/** Valid client-credentials parameters for the demo client; override any field per test. */
export function tokenParams(
  overrides: Record<string, string | undefined> = {},
): Record<string, string> {
  const params: Record<string, string | undefined> = {
    grant_type: "client_credentials",
    client_id: DEMO_CLIENT_ID,
    client_secret: DEMO_CLIENT_SECRET,
    scope: GRAPH_SCOPE,
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined),
  );
}

export interface TokenRequestInit {
  readonly tenant?: string;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
}

/** POSTs a form to the authority's token endpoint with Node's fetch. */
export function postToken(
  authority: LocalAuthority,
  params: Record<string, string> = tokenParams(),
  init: TokenRequestInit = {},
): Promise<Response> {
  return fetch(authority.tokenEndpoint(init.tenant ?? DEMO_TENANT_ID), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...init.headers },
    body: new URLSearchParams(params).toString(),
    ...(init.signal !== undefined ? { signal: init.signal } : {}),
  });
}

export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  readonly signingInput: string;
  readonly signature: Buffer;
}

export function decodeJwt(token: string): DecodedJwt {
  const [header, payload, signature] = token.split(".");
  if (header === undefined || payload === undefined || signature === undefined) {
    throw new Error(`Not a JWT: ${token}`);
  }
  const json = (s: string): Record<string, unknown> =>
    JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as Record<string, unknown>;
  return {
    header: json(header),
    payload: json(payload),
    signingInput: `${header}.${payload}`,
    signature: Buffer.from(signature, "base64url"),
  };
}

export interface AadErrorJson {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
