import { randomBytes, createHash, X509Certificate } from "node:crypto";
import { accessTokenClaims } from "../accessToken.js";
import { DEMO_TENANT_ID } from "../constants.js";
import { issuerFor } from "../discovery.js";
import type { Exchange } from "../exchange.js";
import { sendFault } from "../faultResponses.js";
import { FaultPlan, type TokenResponseFault } from "../faults.js";
import { encodeJwt, type SigningKey, type SigningMode } from "../jwt.js";
import { headersForLog } from "../requestLog.js";
import { ArcChallenges } from "./arcChallenges.js";
import { DEMO_SYSTEM_ASSIGNED_IDENTITY, DEMO_USER_ASSIGNED_IDENTITY } from "./demoIdentities.js";
import type {
  EmulatedManagedIdentity,
  ManagedIdentityEmulatorOptions,
  ManagedIdentityFault,
  ManagedIdentitySourceKind,
} from "./managedIdentityOptions.js";
import { MANAGED_IDENTITY_PATHS } from "./managedIdentityPaths.js";

/** One request a managed identity emulator received. Never holds a header secret. */
export interface ManagedIdentityRequestLogEntry {
  readonly source: ManagedIdentitySourceKind;
  readonly method: string;
  /** Query parameters (there is nothing secret in them), e.g. `resource`, `client_id`. */
  readonly query: Readonly<Record<string, string>>;
  /** Whether the request carried what its source requires (`Metadata: true`, the header secret, …). */
  readonly authenticated: boolean;
  /** `0` while unanswered and for resets and hangs. */
  readonly status: number;
  readonly fault: string | undefined;
  readonly time: number;
  /** Lower-cased headers; `x-identity-header`, `secret` and `authorization` are `[redacted]`. */
  readonly headers: Readonly<Record<string, string>>;
}

type MutableEntry = {
  -readonly [K in keyof ManagedIdentityRequestLogEntry]: ManagedIdentityRequestLogEntry[K];
};

/** The managed identity endpoints of a running local authority. */
export interface ManagedIdentityEndpoints {
  /** The App Service / Service Fabric header secret the emulators expect (`IDENTITY_HEADER`). */
  readonly identityHeader: string;
  /** The endpoint URL of a source, e.g. `http://127.0.0.1:PORT/msi/token`. */
  url(source: ManagedIdentitySourceKind): string;
  /**
   * The environment variables that make a managed identity credential use `source` here, e.g.
   * `{ IDENTITY_ENDPOINT, IDENTITY_HEADER }` for App Service or
   * `{ AZURE_POD_IDENTITY_AUTHORITY_HOST }` for IMDS.
   */
  environment(source: ManagedIdentitySourceKind): Record<string, string>;
  /** Where the Azure Arc emulator writes challenge files (created on first use). */
  arcTokenDirectory(): Promise<string>;
  /** Requests received, oldest first (at most 10,000 kept). */
  readonly requests: readonly ManagedIdentityRequestLogEntry[];
  /** Requests received since start or `resetLog()`, for `source` or all. */
  requestCount(source?: ManagedIdentitySourceKind): number;
  /** Resolves once `count` requests (any source) have been received and their faults decided. */
  waitForRequests(count: number): Promise<void>;
  resetLog(): void;
  /** Replaces the persistent faults. */
  setFaults(faults: readonly ManagedIdentityFault[]): void;
  /** Queues faults, each consumed by the first matching request. */
  enqueueFaults(faults: readonly ManagedIdentityFault[]): void;
  clearFaults(): void;
  /**
   * While on, every managed identity request's connection is dropped before any answer, IMDS's
   * header-less probe included: the endpoint looks absent, as IMDS does off Azure.
   */
  setUnreachable(on: boolean): void;
}

/** What the emulator needs from the authority it runs in. */
export interface ManagedIdentityEmulatorContext {
  readonly url: () => string;
  readonly now: () => number;
  readonly signingKey: SigningKey;
  readonly signing: SigningMode;
  readonly tokenLifetimeInSeconds: number;
  readonly maxBodyBytes: number;
  /** The server's certificate in HTTPS mode: Service Fabric's thumbprint is its SHA-1. */
  readonly certificate: string | undefined;
}

const SECRET_HEADERS = ["x-identity-header", "secret", "authorization"];
const LOG_LIMIT = 10_000;

function derivedGuid(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function header(ex: Exchange, name: string): string | undefined {
  const value = ex.req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Which identity a request names, by each source's parameter names. */
function requestedId(
  source: ManagedIdentitySourceKind,
  query: URLSearchParams,
): { kind: "clientId" | "objectId" | "resourceId"; value: string } | undefined {
  const resourceName = source === "imds" ? "msi_res_id" : "mi_res_id";
  const clientId = query.get("client_id");
  if (clientId !== null) return { kind: "clientId", value: clientId };
  const objectId = query.get("object_id") ?? query.get("principal_id");
  if (objectId !== null) return { kind: "objectId", value: objectId };
  const resourceId = query.get(resourceName);
  if (resourceId !== null) return { kind: "resourceId", value: resourceId };
  return undefined;
}

/** The API version each source requires, as its real service does. */
const API_VERSIONS: Readonly<Partial<Record<ManagedIdentitySourceKind, string>>> = {
  imds: "2018-02-01",
  "app-service": "2019-08-01",
  "azure-arc": "2019-11-01",
  "service-fabric": "2019-07-01-preview",
};

/**
 * IMDS, App Service, Azure Arc, Cloud Shell and Service Fabric managed identity endpoints on the
 * authority's own server, issuing real tokens signed with its key, each validating what its real
 * service validates (header, API version, resource, identity) and answering errors in that
 * service's own shape. Faults as for the token endpoint.
 */
export class ManagedIdentityEmulator implements ManagedIdentityEndpoints {
  readonly identityHeader: string;
  readonly #context: ManagedIdentityEmulatorContext;
  readonly #system: EmulatedManagedIdentity | undefined;
  readonly #user: readonly EmulatedManagedIdentity[];
  readonly #tenant: string;
  readonly #faults = new FaultPlan();
  readonly #arc: ArcChallenges;
  /** Arc requests that answered a challenge: redeemed before the synchronous checks. */
  readonly #arcAnswered = new WeakSet<Exchange>();
  #unreachable = false;
  #log: MutableEntry[] = [];
  #counts = new Map<ManagedIdentitySourceKind | "all", number>();
  #waiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(options: ManagedIdentityEmulatorOptions, context: ManagedIdentityEmulatorContext) {
    this.#context = context;
    this.#system =
      options.systemAssigned === false
        ? undefined
        : (options.systemAssigned ?? DEMO_SYSTEM_ASSIGNED_IDENTITY);
    this.#user = options.userAssigned ?? [DEMO_USER_ASSIGNED_IDENTITY];
    this.#tenant = options.tenantId ?? DEMO_TENANT_ID;
    this.identityHeader = options.identityHeader ?? randomBytes(16).toString("hex");
    this.#arc = new ArcChallenges(options.arcTokenDirectory);
  }

  url(source: ManagedIdentitySourceKind): string {
    return `${this.#context.url()}${MANAGED_IDENTITY_PATHS[source]}`;
  }

  environment(source: ManagedIdentitySourceKind): Record<string, string> {
    switch (source) {
      case "imds":
        return { AZURE_POD_IDENTITY_AUTHORITY_HOST: this.#context.url() };
      case "app-service":
        return { IDENTITY_ENDPOINT: this.url(source), IDENTITY_HEADER: this.identityHeader };
      case "azure-arc":
        return { IDENTITY_ENDPOINT: this.url(source), IMDS_ENDPOINT: this.#context.url() };
      case "cloud-shell":
        return { MSI_ENDPOINT: this.url(source) };
      case "service-fabric":
        return {
          IDENTITY_ENDPOINT: this.url(source),
          IDENTITY_HEADER: this.identityHeader,
          // Over http nothing checks it; over https it pins the authority's certificate.
          IDENTITY_SERVER_THUMBPRINT:
            this.#context.certificate === undefined
              ? "0".repeat(40)
              : new X509Certificate(this.#context.certificate).fingerprint.replace(/:/g, ""),
        };
    }
  }

  arcTokenDirectory(): Promise<string> {
    return this.#arc.directory();
  }

  get requests(): readonly ManagedIdentityRequestLogEntry[] {
    return [...this.#log];
  }

  requestCount(source?: ManagedIdentitySourceKind): number {
    return this.#counts.get(source ?? "all") ?? 0;
  }

  waitForRequests(count: number): Promise<void> {
    if (this.requestCount() >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  resetLog(): void {
    this.#log = [];
    this.#counts.clear();
  }

  setFaults(faults: readonly ManagedIdentityFault[]): void {
    this.#faults.set(faults.map((fault) => ({ ...fault, tenant: fault.source })));
  }

  enqueueFaults(faults: readonly ManagedIdentityFault[]): void {
    this.#faults.enqueue(faults.map((fault) => ({ ...fault, tenant: fault.source })));
  }

  clearFaults(): void {
    this.#faults.clear();
    this.#unreachable = false;
  }

  setUnreachable(on: boolean): void {
    this.#unreachable = on;
  }

  close(): Promise<void> {
    return this.#arc.close();
  }

  /** Answers one request to the endpoint of `source`. */
  async handle(
    ex: Exchange,
    source: ManagedIdentitySourceKind,
    query: URLSearchParams,
  ): Promise<void> {
    const entry: MutableEntry = {
      source,
      method: ex.req.method ?? "GET",
      query: Object.fromEntries(query),
      authenticated: false,
      status: 0,
      fault: undefined,
      time: this.#context.now(),
      headers: this.#redactedHeaders(ex),
    };
    this.#log.push(entry);
    if (this.#log.length > LOG_LIMIT) this.#log.splice(0, LOG_LIMIT / 10);
    if (this.#unreachable) {
      entry.fault = "unreachable";
      this.#count(source);
      ex.reset();
      return;
    }
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      entry.status = status;
      ex.sendJson(status, body, headers);
    };

    let params = query;
    if (source === "cloud-shell") {
      const body = await ex.readBody(this.#context.maxBodyBytes);
      if (body.kind !== "ok") {
        this.#count(source);
        if (body.kind === "too-large") answer(413, this.#error(source, 413, "Body too large."));
        return;
      }
      params = new URLSearchParams(body.text);
      entry.query = Object.fromEntries(params);
    } else {
      ex.discardBody();
    }

    if (source === "azure-arc" && (await this.#arc.redeem(header(ex, "authorization")))) {
      this.#arcAnswered.add(ex);
    }
    const problem = this.#checkRequest(ex, source, params);
    entry.authenticated = problem === undefined;
    // Faults model the service failing, whatever the request; IMDS's header-less probe is
    // answered as IMDS always answers it, so a fault is left for the token request it precedes.
    const probe = source === "imds" && header(ex, "metadata") === undefined;
    const id = requestedId(source, params);
    const resource = params.get("resource") ?? "";
    const decision = probe
      ? undefined
      : this.#faults.take({
          tenant: source,
          clientId: id?.kind === "clientId" ? id.value : undefined,
          scopes: [resource],
        });
    if (decision !== undefined) entry.fault = decision.kind;
    this.#count(source);

    let shape: TokenResponseFault | undefined;
    if (decision !== undefined) {
      if (decision.kind === "outage") {
        answer(500, this.#error(source, 500, "The managed identity endpoint is unavailable."));
        return;
      }
      const wait = (decision.delayMs ?? 0) + (decision.kind === "latency" ? decision.ms : 0);
      if (wait > 0 && !(await ex.delay(wait))) return;
      if (decision.kind === "token") shape = decision;
      else if (decision.kind !== "latency") {
        if (decision.kind === "status" && decision.body === undefined) {
          answer(decision.status, this.#error(source, decision.status, "Injected fault."), {
            ...(decision.retryAfter === undefined
              ? {}
              : { "retry-after": String(decision.retryAfter) }),
          });
          return;
        }
        await sendFault(ex, decision, {
          lifetimeInSeconds: this.#context.tokenLifetimeInSeconds,
          refreshInSeconds: undefined,
          expiresAs: "number",
          nowMs: this.#context.now(),
        });
        entry.status = ex.entry.status;
        return;
      }
    }

    if (problem !== undefined) {
      const challenge = problem.challenge === true ? await this.#arc.issue() : undefined;
      answer(
        problem.status,
        this.#error(source, problem.status, problem.message),
        challenge === undefined ? {} : { "www-authenticate": `Basic realm=${challenge}` },
      );
      return;
    }

    const identity = this.#identityFor(id);
    if (identity === undefined) {
      answer(
        400,
        this.#error(
          source,
          400,
          id === undefined
            ? "No system-assigned managed identity is enabled for this resource."
            : "Identity not found",
        ),
      );
      return;
    }
    answer(200, await this.#token(source, identity, resource, shape));
  }

  #redactedHeaders(ex: Exchange): Record<string, string> {
    const headers = headersForLog(ex.req.headers);
    for (const name of SECRET_HEADERS) if (name in headers) headers[name] = "[redacted]";
    return headers;
  }

  #count(source: ManagedIdentitySourceKind): void {
    this.#counts.set(source, this.requestCount(source) + 1);
    this.#counts.set("all", this.requestCount() + 1);
    const total = this.requestCount();
    const due = this.#waiters.filter((waiter) => waiter.count <= total);
    this.#waiters = this.#waiters.filter((waiter) => waiter.count > total);
    for (const waiter of due) waiter.resolve();
  }

  /** What the real service refuses before looking at the identity, in its order. */
  #checkRequest(
    ex: Exchange,
    source: ManagedIdentitySourceKind,
    params: URLSearchParams,
  ): { status: number; message: string; challenge?: boolean } | undefined {
    const method = ex.req.method ?? "GET";
    const wanted = source === "cloud-shell" ? "POST" : "GET";
    if (method !== wanted) return { status: 405, message: `Use ${wanted}.` };
    if (source === "app-service" || source === "service-fabric") {
      const name = source === "app-service" ? "x-identity-header" : "secret";
      if (header(ex, name) !== this.identityHeader) {
        return {
          status: source === "app-service" ? 401 : 400,
          message:
            source === "app-service"
              ? "Unauthorized: the X-IDENTITY-HEADER is missing or wrong."
              : "SecretHeaderNotFound: the secret header is missing or wrong.",
        };
      }
    } else if (header(ex, "metadata")?.toLowerCase() !== "true") {
      return { status: 400, message: "Required metadata header not specified" };
    }
    const version = API_VERSIONS[source];
    if (version !== undefined && params.get("api-version") !== version) {
      return { status: 400, message: `Invalid or missing api-version: use ${version}.` };
    }
    if ((params.get("resource") ?? "") === "") {
      return { status: 400, message: "Required audience parameter not specified" };
    }
    if (source === "azure-arc" && !this.#arcAnswered.has(ex)) {
      return { status: 401, message: "Unauthorized: answer the challenge.", challenge: true };
    }
    return undefined;
  }

  #identityFor(
    id: { kind: "clientId" | "objectId" | "resourceId"; value: string } | undefined,
  ): (EmulatedManagedIdentity & { objectId: string }) | undefined {
    const all = [...(this.#system === undefined ? [] : [this.#system]), ...this.#user];
    const found =
      id === undefined
        ? this.#system
        : all.find((identity) =>
            id.kind === "resourceId"
              ? identity.resourceId?.toLowerCase() === id.value.toLowerCase()
              : id.kind === "clientId"
                ? identity.clientId === id.value
                : (identity.objectId ?? derivedGuid(identity.clientId)) === id.value,
          );
    return found === undefined
      ? undefined
      : { ...found, objectId: found.objectId ?? derivedGuid(found.clientId) };
  }

  /** The source's own error shape. */
  #error(source: ManagedIdentitySourceKind, status: number, message: string): unknown {
    if (source === "app-service") {
      return { statusCode: status, message, correlationId: derivedGuid(`${message}${Date.now()}`) };
    }
    if (source === "service-fabric") {
      return { error: { code: status === 400 ? "BadRequest" : "Error", message } };
    }
    return {
      error: status >= 500 ? "server_error" : "invalid_request",
      error_description: message,
    };
  }

  async #token(
    source: ManagedIdentitySourceKind,
    identity: EmulatedManagedIdentity & { objectId: string },
    resource: string,
    shape: TokenResponseFault | undefined,
  ): Promise<Record<string, unknown>> {
    const nowMs = this.#context.now();
    const lifetime = shape?.lifetimeInSeconds ?? this.#context.tokenLifetimeInSeconds;
    const base = accessTokenClaims({
      issuer: issuerFor(this.#context.url(), this.#tenant),
      tenant: this.#tenant,
      clientId: identity.clientId,
      resource,
      nowMs,
      lifetimeInSeconds: lifetime,
      roles: undefined,
      cae: false,
    });
    const claims = {
      ...base,
      oid: identity.objectId,
      sub: identity.objectId,
      ...(identity.resourceId === undefined ? {} : { xms_mirid: identity.resourceId }),
    };
    const accessToken = await encodeJwt(claims, this.#context.signingKey, this.#context.signing);
    const iat = Math.floor(nowMs / 1000);
    const expiresOn = iat + lifetime;
    const refresh =
      shape?.refreshInSeconds === undefined ? {} : { refresh_in: shape.refreshInSeconds };
    switch (source) {
      case "app-service":
        return {
          access_token: accessToken,
          expires_on: String(expiresOn),
          resource,
          token_type: "Bearer",
          client_id: identity.clientId,
          ...refresh,
        };
      case "service-fabric":
        return {
          token_type: "Bearer",
          access_token: accessToken,
          expires_on: expiresOn,
          resource,
          ...refresh,
        };
      default:
        return {
          access_token: accessToken,
          client_id: identity.clientId,
          expires_in: String(lifetime),
          expires_on: String(expiresOn),
          ext_expires_in: String(lifetime),
          not_before: String(iat),
          resource,
          token_type: "Bearer",
          ...refresh,
        };
    }
  }
}
