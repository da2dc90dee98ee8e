import { accessTokenClaims } from "./accessToken.js";
import { authenticateWithAssertion } from "./assertionAuthentication.js";
import type { ClientRegistry, RegisteredClient } from "./clients.js";
import { aadErrors, type AadError } from "./errors.js";
import type { Exchange } from "./exchange.js";
import { sendFault } from "./faultResponses.js";
import type { ExpiresAs, FaultPlan, TokenResponseFault } from "./faults.js";
import type { JtiReplayCache } from "./JtiReplayCache.js";
import { encodeJwt, type SigningKey, type SigningMode } from "./jwt.js";
import { tokenResponseFields, type TokenResponseShape } from "./tokenResponse.js";
import type { TokenIssuer } from "./issuer.js";

/** Everything the token endpoint needs from the authority, resolved once at start. */
export interface TokenEndpointContext {
  readonly url: string;
  /** The `iss` and `ver` of a tenant's tokens (the `issuer` option, bound to `url`). */
  readonly issuer: (tenant: string) => TokenIssuer;
  readonly now: () => number;
  readonly clients: () => ClientRegistry;
  readonly faults: FaultPlan;
  readonly signingKey: SigningKey;
  readonly signing: SigningMode;
  readonly tokenLifetimeInSeconds: number;
  readonly caeTokenLifetimeInSeconds: number;
  readonly refreshInSeconds: number | undefined;
  readonly expiresAs: ExpiresAs;
  readonly maxBodyBytes: number;
  /** Client assertion `jti`s seen, so none is accepted twice. */
  readonly replay: JtiReplayCache;
  /**
   * Counts the request as a token request. Called once the request is fully known (body read,
   * fault decided) and before any delay, so a test awaiting the count can rely on the log entry.
   */
  readonly countTokenRequest: () => void;
}

interface TokenRequest {
  readonly grantType: string | undefined;
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  readonly clientAssertionType: string | undefined;
  readonly clientAssertion: string | undefined;
  readonly scope: string | undefined;
  readonly scopes: readonly string[];
  readonly claims: string | undefined;
}

interface ValidRequest {
  readonly client: RegisteredClient;
  readonly resource: string;
  readonly cae: boolean;
}

const DEFAULT_SUFFIX = "/.default";

/** `client_secret_basic`: RFC 6749 §2.3.1 form-encodes id and secret before base64. */
function basicCredentials(
  header: string | undefined,
): { clientId: string; clientSecret: string } | undefined {
  const match = header === undefined ? null : /^Basic\s+(\S+)\s*$/i.exec(header);
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon === -1) return undefined;
  try {
    const decode = (s: string): string => decodeURIComponent(s.replace(/\+/g, " "));
    return {
      clientId: decode(decoded.slice(0, colon)),
      clientSecret: decode(decoded.slice(colon + 1)),
    };
  } catch {
    return undefined;
  }
}

function parseTokenRequest(ex: Exchange, body: string): TokenRequest {
  const contentType = ex.req.headers["content-type"] ?? "";
  // Entra only reads form bodies; anything else looks like a request with no parameters.
  const isForm =
    contentType === "" || contentType.toLowerCase().startsWith("application/x-www-form-urlencoded");
  const params = new URLSearchParams(isForm ? body : "");
  const basic = basicCredentials(ex.req.headers.authorization);
  const scope = params.get("scope") ?? undefined;
  return {
    grantType: params.get("grant_type") ?? undefined,
    clientId: params.get("client_id") ?? basic?.clientId,
    clientSecret: params.get("client_secret") ?? basic?.clientSecret,
    clientAssertionType: params.get("client_assertion_type") ?? undefined,
    clientAssertion: params.get("client_assertion") ?? undefined,
    scope,
    scopes: scope === undefined ? [] : scope.split(/\s+/).filter((s) => s !== ""),
    claims: params.get("claims") ?? undefined,
  };
}

/** Whether a `claims` request parameter asks for the CP1 (CAE) client capability. */
function requestsCae(claims: unknown): boolean {
  if (typeof claims !== "object" || claims === null) return false;
  const accessToken = (claims as { access_token?: unknown }).access_token;
  if (typeof accessToken !== "object" || accessToken === null) return false;
  const xmsCc = (accessToken as { xms_cc?: unknown }).xms_cc;
  if (typeof xmsCc !== "object" || xmsCc === null) return false;
  const values = (xmsCc as { values?: unknown }).values;
  // Capability names are case-insensitive in Entra: @azure/identity sends "cp1", credchain "CP1".
  return (
    Array.isArray(values) &&
    values.some((value) => typeof value === "string" && value.toUpperCase() === "CP1")
  );
}

/** Validates in Entra's order: tenant, grant, client, secret or assertion, scope, claims. */
async function validate(
  tenant: string,
  request: TokenRequest,
  clients: ClientRegistry,
  ctx: TokenEndpointContext,
): Promise<AadError | ValidRequest> {
  if (!clients.tenantExists(tenant)) return aadErrors.tenantNotFound(tenant);
  if (request.grantType === undefined || request.grantType === "") {
    return aadErrors.missingParameter("grant_type");
  }
  if (request.grantType !== "client_credentials") {
    return aadErrors.unsupportedGrantType(request.grantType);
  }
  if (request.clientId === undefined || request.clientId === "") {
    return aadErrors.missingParameter("client_id");
  }
  const check =
    request.clientAssertion !== undefined || request.clientAssertionType !== undefined
      ? await checkAssertion(tenant, request, request.clientId, clients, ctx)
      : clients.check(tenant, request.clientId, request.clientSecret);
  if ("status" in check) return check;
  if (!check.ok) {
    switch (check.reason) {
      case "unknown-client":
        return aadErrors.unknownClient(request.clientId, tenant);
      case "missing-secret":
        return aadErrors.missingClientSecret();
      case "wrong-secret":
        return aadErrors.invalidClientSecret(request.clientId);
    }
  }
  const scopeText = request.scope ?? "";
  if (request.scopes.length === 0) return aadErrors.invalidScope(scopeText);
  const resources = new Set<string>();
  for (const scope of request.scopes) {
    if (!scope.endsWith(DEFAULT_SUFFIX) || scope.length === DEFAULT_SUFFIX.length) {
      return aadErrors.invalidScope(scopeText);
    }
    resources.add(scope.slice(0, -DEFAULT_SUFFIX.length));
  }
  const [resource] = resources;
  if (resources.size !== 1 || resource === undefined) {
    return aadErrors.multipleResources(scopeText);
  }
  let cae = false;
  if (request.claims !== undefined && request.claims !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(request.claims);
    } catch {
      return aadErrors.malformedRequest("The claims parameter is not valid JSON.");
    }
    cae = requestsCae(parsed);
  }
  return { client: check.client, resource, cae };
}

async function checkAssertion(
  tenant: string,
  request: TokenRequest,
  clientId: string,
  clients: ClientRegistry,
  ctx: TokenEndpointContext,
): Promise<AadError | { readonly ok: true; readonly client: RegisteredClient }> {
  const result = await authenticateWithAssertion({
    tenant,
    clientId,
    assertionType: request.clientAssertionType,
    assertion: request.clientAssertion,
    hasSecret: request.clientSecret !== undefined && request.clientSecret !== "",
    url: ctx.url,
    nowMs: ctx.now(),
    clients,
    replay: ctx.replay,
  });
  return "status" in result ? result : { ok: true, client: result };
}

/** `POST /{tenant}/oauth2/v2.0/token` with the client credentials grant. */
export async function handleTokenRequest(
  ex: Exchange,
  tenant: string,
  ctx: TokenEndpointContext,
): Promise<void> {
  const method = ex.req.method ?? "GET";
  if (method !== "POST") {
    ctx.countTokenRequest();
    ex.discardBody();
    ex.sendError(aadErrors.postOnly(method));
    return;
  }
  const body = await ex.readBody(ctx.maxBodyBytes);
  if (body.kind !== "ok") ctx.countTokenRequest();
  if (body.kind === "aborted") return;
  if (body.kind === "too-large") {
    ex.sendError(
      aadErrors.bodyTooLarge(ctx.maxBodyBytes),
      body.drained ? {} : { connection: "close" },
    );
    return;
  }

  const request = parseTokenRequest(ex, body.text);
  Object.assign(ex.entry, {
    clientId: request.clientId,
    hasClientSecret: request.clientSecret !== undefined && request.clientSecret !== "",
    grantType: request.grantType,
    scopes: request.scopes,
    ...(request.claims !== undefined ? { claims: request.claims } : {}),
  });

  // Faults come before validation: they model the service (or what is in front of it) failing,
  // which happens regardless of whether the request would have been valid.
  const decision = ctx.faults.take({ tenant, clientId: request.clientId, scopes: request.scopes });
  if (decision !== undefined) ex.entry.fault = decision.kind;
  ctx.countTokenRequest();
  let shapeOverride: TokenResponseFault | undefined;
  if (decision !== undefined) {
    if (decision.kind === "outage") {
      ex.sendError(aadErrors.forStatus(500));
      return;
    }
    const wait = (decision.delayMs ?? 0) + (decision.kind === "latency" ? decision.ms : 0);
    if (wait > 0 && !(await ex.delay(wait))) return;
    if (decision.kind === "token") {
      shapeOverride = decision;
    } else if (decision.kind !== "latency") {
      await sendFault(ex, decision, {
        lifetimeInSeconds: ctx.tokenLifetimeInSeconds,
        refreshInSeconds: ctx.refreshInSeconds,
        expiresAs: ctx.expiresAs,
        nowMs: ctx.now(),
      });
      return;
    }
  }

  const result = await validate(tenant, request, ctx.clients(), ctx);
  if ("error" in result) {
    ex.sendError(result);
    return;
  }

  // Read after any injected delay, so a delayed token is stamped with the time it is issued.
  const nowMs = ctx.now();
  const lifetime =
    shapeOverride?.lifetimeInSeconds ??
    (result.cae ? ctx.caeTokenLifetimeInSeconds : ctx.tokenLifetimeInSeconds);
  const shape: TokenResponseShape = {
    lifetimeInSeconds: lifetime,
    refreshInSeconds: shapeOverride?.refreshInSeconds ?? ctx.refreshInSeconds,
    expiresAs: shapeOverride?.expiresAs ?? ctx.expiresAs,
    nowMs,
  };
  const { iss, ver } = ctx.issuer(tenant);
  const claims = accessTokenClaims({
    issuer: iss,
    version: ver,
    tenant,
    clientId: result.client.clientId,
    resource: result.resource,
    nowMs,
    lifetimeInSeconds: lifetime,
    roles: result.client.roles,
    cae: result.cae,
  });
  const accessToken = await encodeJwt(claims, ctx.signingKey, ctx.signing);
  ex.sendJson(200, { ...tokenResponseFields(shape), access_token: accessToken });
}
