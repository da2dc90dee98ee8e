import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { sharedLoopbackCertificate, type TlsCertificate } from "./certificate.js";
import { ClientRegistry, type RegisteredClient } from "./clients.js";
import { DEMO_TENANT_ID } from "./constants.js";
import { instanceDiscovery, openIdConfiguration, publishedIssuer } from "./discovery.js";
import { aadErrors } from "./errors.js";
import { Exchange } from "./exchange.js";
import { FaultPlan, type Fault } from "./faults.js";
import { JtiReplayCache } from "./JtiReplayCache.js";
import { sharedSigningKey, type SigningKey } from "./jwt.js";
import {
  ManagedIdentityEmulator,
  type ManagedIdentityEndpoints,
} from "./managedIdentity/ManagedIdentityEmulator.js";
import { managedIdentitySourceAt } from "./managedIdentity/managedIdentityPaths.js";
import { resolveOptions, type AuthorityOptions, type ResolvedOptions } from "./options.js";
import { RequestLog, type EndpointKind, type RequestLogEntry } from "./requestLog.js";
import { handleTokenRequest, type TokenEndpointContext } from "./tokenEndpoint.js";
import { tokenIssuer } from "./issuer.js";

/** A running local authority. Close it with `close()` or `await using`. */
export interface LocalAuthority extends AsyncDisposable {
  /**
   * The authority host URL, e.g. `http://127.0.0.1:54321`: what a credential takes as its
   * `authority`. Token endpoint: `{url}/{tenant}/oauth2/v2.0/token`.
   */
  readonly url: string;
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  readonly port: number;
  readonly protocol: "http" | "https";
  /** PEM of the self-signed certificate in HTTPS mode (trust it as a CA); `undefined` over HTTP. */
  readonly certificate: string | undefined;
  /**
   * Snapshot of the request log, oldest first (bounded by `requestLogLimit`). Entries of
   * requests still in progress are live and complete when answered.
   */
  readonly requests: readonly RequestLogEntry[];
  /** `{url}/{tenantId}/oauth2/v2.0/token`; `tenantId` defaults to {@link DEMO_TENANT_ID}. */
  tokenEndpoint(tenantId?: string): string;
  /** Token endpoint requests since start or the last `resetLog()`, including failed ones. */
  tokenRequestCount(): number;
  /**
   * Resolves once `count` token requests have been received and parsed (counted like
   * `tokenRequestCount`), at which point their log entries show client, scopes and the applied
   * fault; e.g. to know a `hang` fault has caught its request. Rejects if the authority closes.
   */
  waitForTokenRequests(count: number): Promise<void>;
  /** Clears the request log and the token request count. */
  resetLog(): void;
  /** Replaces the persistent faults: the first matching one applies to every token request. */
  setFaults(faults: readonly Fault[]): void;
  /** Queues faults; each token request consumes the first queued fault matching it (FIFO). */
  enqueueFaults(faults: readonly Fault[]): void;
  /** Queued faults not consumed yet. */
  queuedFaultCount(): number;
  /** Removes persistent and queued faults and ends an outage. */
  clearFaults(): void;
  /** While on, every token request fails with 500 `server_error` (AADSTS50000). */
  setOutage(on: boolean): void;
  /** Replaces the registered clients, e.g. to simulate a rotated or deleted secret. */
  setClients(clients: readonly RegisteredClient[]): void;
  /**
   * The managed identity emulators on this server (IMDS, App Service, Azure Arc, Cloud Shell,
   * Service Fabric): their URLs and environment variables, request log and faults.
   */
  readonly managedIdentity: ManagedIdentityEndpoints;
  /** Stops listening and drops every connection, idle keep-alive ones and hanging requests too. */
  close(): Promise<void>;
}

const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/;
const OPENID_PATH = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration\/?$/;
const KEYS_PATH = /^\/([^/]+)\/discovery\/v2\.0\/keys\/?$/;
const INSTANCE_PATH = /^\/common\/discovery\/instance\/?$/;

// Benchmarks open ~1,000 connections at once; Node's default backlog (511) would make the
// kernel drop SYNs and stall clients on retransmit timers.
const LISTEN_BACKLOG = 4096;

interface Route {
  readonly endpoint: EndpointKind;
  readonly path: string;
  readonly query: URLSearchParams;
  /** `null`: the tenant segment was not valid percent-encoding. */
  readonly tenant: string | undefined | null;
}

function route(rawUrl: string): Route {
  const q = rawUrl.indexOf("?");
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const query = new URLSearchParams(q === -1 ? "" : rawUrl.slice(q + 1));
  const decode = (segment: string | undefined): string | null | undefined => {
    if (segment === undefined) return undefined;
    try {
      return decodeURIComponent(segment);
    } catch {
      return null;
    }
  };
  if (INSTANCE_PATH.test(path)) {
    return { endpoint: "instance-discovery", path, query, tenant: "common" };
  }
  const candidates: ReadonlyArray<readonly [RegExp, EndpointKind]> = [
    [TOKEN_PATH, "token"],
    [OPENID_PATH, "openid-configuration"],
    [KEYS_PATH, "keys"],
  ];
  for (const [pattern, endpoint] of candidates) {
    const match = pattern.exec(path);
    if (match !== null) return { endpoint, path, query, tenant: decode(match[1]) };
  }
  return { endpoint: "not-found", path, query, tenant: undefined };
}

class AuthorityServer implements LocalAuthority {
  readonly protocol: "http" | "https";
  readonly certificate: string | undefined;
  readonly #options: ResolvedOptions;
  readonly #server: ReturnType<typeof createHttpServer> | ReturnType<typeof createHttpsServer>;
  readonly #log: RequestLog;
  readonly #faults: FaultPlan;
  readonly #signingKey: SigningKey;
  readonly #inflight = new Set<Exchange>();
  readonly #replay = new JtiReplayCache();
  readonly managedIdentity: ManagedIdentityEmulator;
  #clients: ClientRegistry;
  #port = 0;
  #tokenContext: TokenEndpointContext | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: ResolvedOptions, signingKey: SigningKey, tls: TlsCertificate | undefined) {
    this.#options = options;
    this.#signingKey = signingKey;
    this.#log = new RequestLog(options.requestLogLimit);
    this.#faults = new FaultPlan(options.faults);
    this.#clients = new ClientRegistry(options.clients, options.tenants);
    this.protocol = tls === undefined ? "http" : "https";
    this.certificate = tls?.cert;
    this.managedIdentity = new ManagedIdentityEmulator(options.managedIdentity, {
      url: () => this.url,
      now: options.now,
      signingKey,
      signing: options.signing,
      tokenLifetimeInSeconds: options.tokenLifetimeInSeconds,
      maxBodyBytes: options.maxBodyBytes,
      certificate: tls?.cert,
    });
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
      this.#onRequest(req, res);
    };
    this.#server =
      tls === undefined
        ? createHttpServer(onRequest)
        : createHttpsServer({ key: tls.key, cert: tls.cert }, onRequest);
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.#server.once("error", onError);
      this.#server.listen(
        { port: this.#options.port, host: "127.0.0.1", backlog: LISTEN_BACKLOG },
        () => {
          this.#server.off("error", onError);
          resolve();
        },
      );
    });
    this.#port = (this.#server.address() as AddressInfo).port;
    this.#tokenContext = {
      url: this.url,
      issuer: tokenIssuer(this.#options.issuer, this.url),
      now: this.#options.now,
      clients: () => this.#clients,
      faults: this.#faults,
      signingKey: this.#signingKey,
      signing: this.#options.signing,
      tokenLifetimeInSeconds: this.#options.tokenLifetimeInSeconds,
      caeTokenLifetimeInSeconds: this.#options.caeTokenLifetimeInSeconds,
      refreshInSeconds: this.#options.refreshInSeconds,
      expiresAs: this.#options.expiresAs,
      maxBodyBytes: this.#options.maxBodyBytes,
      replay: this.#replay,
      countTokenRequest: () => this.#log.countTokenRequest(),
    };
  }

  get port(): number {
    return this.#port;
  }

  get host(): string {
    return `127.0.0.1:${this.#port}`;
  }

  get url(): string {
    return `${this.protocol}://${this.host}`;
  }

  get requests(): readonly RequestLogEntry[] {
    return this.#log.entries();
  }

  tokenEndpoint(tenantId: string = DEMO_TENANT_ID): string {
    return `${this.url}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
  }

  tokenRequestCount(): number {
    return this.#log.tokenRequestCount();
  }

  waitForTokenRequests(count: number): Promise<void> {
    if (this.#closing !== undefined && this.#log.tokenRequestCount() < count) {
      return Promise.reject(new Error("The local authority is closed"));
    }
    return this.#log.waitForTokenRequests(count);
  }

  resetLog(): void {
    this.#log.reset();
  }

  setFaults(faults: readonly Fault[]): void {
    this.#faults.set(faults);
  }

  enqueueFaults(faults: readonly Fault[]): void {
    this.#faults.enqueue(faults);
  }

  queuedFaultCount(): number {
    return this.#faults.queuedCount;
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  setOutage(on: boolean): void {
    this.#faults.setOutage(on);
  }

  setClients(clients: readonly RegisteredClient[]): void {
    this.#clients = new ClientRegistry(clients, this.#options.tenants);
  }

  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      // Aborting first ends hanging and delayed requests, so their handlers settle now.
      for (const ex of this.#inflight) ex.abort();
      // The callback's error only says the server was not listening; closed is closed.
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
      this.#log.rejectWaiters(new Error("The local authority was closed"));
    }).then(() => this.managedIdentity.close());
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const r = route(req.url ?? "/");
    const ex = new Exchange(
      req,
      res,
      r.endpoint,
      r.path,
      r.tenant ?? undefined,
      this.#options.now(),
      this.#options.now,
    );
    // Managed identity endpoints keep a log of their own (`authority.managedIdentity.requests`).
    const managedIdentitySource = managedIdentitySourceAt(r.path);
    if (managedIdentitySource === undefined) this.#log.add(ex.entry);
    if (this.#closing !== undefined) {
      req.socket.destroy();
      return;
    }
    this.#inflight.add(ex);
    const work =
      managedIdentitySource === undefined
        ? this.#dispatch(ex, r)
        : this.managedIdentity.handle(ex, managedIdentitySource, r.query);
    void work
      .catch((err: unknown) => this.#internalError(ex, err))
      .finally(() => this.#inflight.delete(ex));
  }

  async #dispatch(ex: Exchange, r: Route): Promise<void> {
    if (r.tenant === null) {
      ex.discardBody();
      ex.sendError(aadErrors.malformedRequest("The tenant in the request path is not valid."));
      return;
    }
    const tenant = r.tenant;
    if (r.endpoint === "token" && tenant !== undefined && this.#tokenContext !== undefined) {
      await handleTokenRequest(ex, tenant, this.#tokenContext);
      return;
    }
    ex.discardBody();
    if (r.endpoint === "not-found" || tenant === undefined || this.#tokenContext === undefined) {
      ex.sendJson(404, {
        error: "not_found",
        error_description:
          `The local authority has no endpoint at ${ex.entry.method} ${r.path}. Tokens are ` +
          "issued at POST /{tenant}/oauth2/v2.0/token.",
      });
      return;
    }
    if (ex.entry.method !== "GET" && ex.entry.method !== "HEAD") {
      ex.sendJson(405, {
        error: "invalid_request",
        error_description: `${r.path} only accepts GET requests.`,
      });
      return;
    }
    // Discovery documents are cacheable in Entra; clients that cache them should be able to.
    const cacheable = { "cache-control": "max-age=86400, private" };
    const issuerOf = this.#tokenContext.issuer;
    const issuer = (): string => publishedIssuer((t) => issuerOf(t).iss, tenant);
    switch (r.endpoint) {
      case "openid-configuration":
        ex.sendJson(200, openIdConfiguration(this.url, this.host, tenant, issuer()), cacheable);
        return;
      case "keys":
        ex.sendJson(
          200,
          { keys: [{ ...this.#signingKey.publicJwk, issuer: issuer() }] },
          cacheable,
        );
        return;
      case "instance-discovery":
        ex.sendJson(200, instanceDiscovery(this.url, this.host, r.query), cacheable);
        return;
    }
  }

  #internalError(ex: Exchange, err: unknown): void {
    if (ex.done) {
      ex.req.socket.destroy();
      return;
    }
    ex.sendError({
      status: 500,
      error: "server_error",
      code: 50000,
      message: `Local authority internal error: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
}

/**
 * Starts a local Entra-compatible token authority on 127.0.0.1.
 *
 * @example
 * ```ts
 * await using authority = await startAuthority();
 * const credential = new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
 *   authority: authority.url,
 * });
 * ```
 */
export async function startAuthority(options?: AuthorityOptions): Promise<LocalAuthority> {
  const resolved = resolveOptions(options);
  // Validate faults and clients before any slow key generation, so mistakes fail fast.
  new FaultPlan(resolved.faults);
  new ClientRegistry(resolved.clients, resolved.tenants);
  const [signingKey, tls] = await Promise.all([
    sharedSigningKey(),
    resolved.https ? sharedLoopbackCertificate() : Promise.resolve(undefined),
  ]);
  const authority = new AuthorityServer(resolved, signingKey, tls);
  await authority.listen();
  return authority;
}
