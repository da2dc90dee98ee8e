import type * as UndiciModule from "undici";
import type { Dispatcher, buildConnector } from "undici";
import { ProxyAuthenticationError } from "../errors/ProxyAuthenticationError.js";
import { ProxyConnectionError } from "../errors/ProxyConnectionError.js";
import { ProxyTunnelError } from "../errors/ProxyTunnelError.js";
import type { HttpRequest, HttpResponse, HttpTransport } from "./HttpTransport.js";
import type { ProxyEndpoint } from "./ProxyEndpoint.js";
import { flattenHeaders, readCappedBody } from "./readCappedBody.js";
import { MAX_RESPONSE_BYTES } from "./ResponseTooLargeError.js";
import { CERTIFICATE_ERROR_CODES } from "./certificateErrorCodes.js";

type Undici = typeof UndiciModule;

/**
 * Loaded on the first proxied request, not at import: undici costs ~80 ms and ~20 MB to load,
 * which a credential that never sees a proxy should not pay.
 */
let undici: Promise<Undici> | undefined;
function loadUndici(): Promise<Undici> {
  undici ??= import("undici").catch((error: unknown) => {
    undici = undefined;
    throw error;
  });
  return undici;
}

/** undici's message for a refused CONNECT: "Proxy response (407) !== 200 when HTTP Tunneling". */
const TUNNEL_STATUS = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling$/;
/** Socket errors on the way to the proxy: with a proxy, every connection we open goes to it. */
const CONNECT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * Errors from opening the connection to the proxy itself (TCP, and TLS to an https:// proxy), as
 * opposed to the TLS session to the authority through the tunnel: both can fail with the same
 * certificate codes, and only this tells them apart.
 */
const fromProxyConnection = new WeakSet<object>();

/**
 * The connector to the proxy, wrapped: its errors are marked as the proxy's, and an IP-literal
 * proxy gets no TLS server name (undici would send `127.0.0.1`, which RFC 6066 forbids and Node
 * warns about, DEP0123); the certificate is still checked against the IP address.
 */
function proxyConnector(connect: buildConnector.connector): buildConnector.connector {
  return (options, callback) => {
    const { servername, ...rest } = options;
    const isIP =
      servername !== undefined && process.getBuiltinModule("node:net").isIP(servername) !== 0;
    connect(isIP ? rest : options, (...result: Parameters<buildConnector.Callback>) => {
      if (result[0] !== null) fromProxyConnection.add(result[0]);
      callback(...result);
    });
  };
}

/**
 * Sends through a forward proxy with undici's own `request` and `ProxyAgent` (one per proxy, so
 * connections are reused per authority through it). Both come from the same undici package: an
 * npm undici dispatcher handed to Node's global `fetch` fails. https targets are tunnelled with
 * `CONNECT`; the TLS session to the authority runs end to end through the tunnel.
 */
export class UndiciProxyTransport implements HttpTransport {
  readonly #proxy: ProxyEndpoint;
  readonly #ca: string[] | undefined;
  readonly #maxResponseBytes: number;
  #agent: Promise<Dispatcher> | undefined;
  #closed = false;

  constructor(proxy: ProxyEndpoint, options: { ca?: string[]; maxResponseBytes?: number } = {}) {
    this.#proxy = proxy;
    this.#ca = options.ca;
    this.#maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  }

  #dispatcher(): Promise<Dispatcher> {
    this.#agent ??= loadUndici().then(({ ProxyAgent, Pool }) => {
      const proxy = this.#proxy;
      const tls = this.#ca === undefined ? undefined : { ca: this.#ca };
      return new ProxyAgent({
        uri: proxy.url,
        ...(proxy.username === undefined
          ? {}
          : {
              token: `Basic ${Buffer.from(`${proxy.username}:${proxy.password ?? ""}`).toString("base64")}`,
            }),
        // The same CAs verify an https:// proxy and the authority behind it.
        ...(tls === undefined ? {} : { requestTls: tls, proxyTls: tls }),
        clientFactory: (origin, options) =>
          new Pool(origin, {
            ...options,
            connect: proxyConnector((options as { connect: buildConnector.connector }).connect),
          }),
      });
    });
    return this.#agent;
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    const [{ request: send }, dispatcher] = await Promise.all([loadUndici(), this.#dispatcher()]);
    let response: Dispatcher.ResponseData;
    try {
      response = await send(request.url, {
        dispatcher,
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      });
    } catch (error) {
      throw this.#proxyError(error, request.url);
    }
    return {
      status: response.statusCode,
      headers: flattenHeaders(response.headers),
      body: await readCappedBody(
        response.body,
        this.#maxResponseBytes,
        response.headers["content-length"],
      ),
    };
  }

  /** undici's error, told apart: the proxy refused us, or would not tunnel, or was not there. */
  #proxyError(error: unknown, url: string): unknown {
    const { display, source, username } = this.#proxy;
    const message = (error as { message?: unknown } | undefined)?.message;
    const status = typeof message === "string" ? TUNNEL_STATUS.exec(message)?.[1] : undefined;
    if (status === "407" || status === "401") {
      return new ProxyAuthenticationError(display, source, username !== undefined, Number(status));
    }
    if (status !== undefined) {
      return new ProxyTunnelError(display, source, new URL(url).host, Number(status));
    }
    const code = (error as { code?: unknown } | undefined)?.code;
    // undici wraps a proxy's host name mismatch as UND_ERR_PRX_TLS, the TLS error as its cause.
    const tlsError: unknown =
      code === "UND_ERR_PRX_TLS" ? (error as { cause?: unknown }).cause : error;
    const tlsCode = (tlsError as { code?: unknown } | undefined)?.code;
    if (
      typeof tlsCode === "string" &&
      CERTIFICATE_ERROR_CODES.has(tlsCode) &&
      typeof tlsError === "object" &&
      tlsError !== null &&
      fromProxyConnection.has(tlsError)
    ) {
      const untrusted = new ProxyConnectionError(display, source, tlsCode, { cause: error });
      // Not the authority's certificate: the proxy's own, on the way to the proxy.
      untrusted.message =
        `The TLS certificate of the proxy ${display} (from ${source}) could not be verified (${tlsCode}). ` +
        "If the proxy uses a private or self-signed CA, trust that CA: pass its PEM certificate as " +
        "tlsOptions: { ca } (with the authority's, if it needs one too), or set NODE_EXTRA_CA_CERTS to a file holding it. " +
        "Never disable certificate verification. Not retried: the same certificate fails every time. " +
        "The token endpoint was not reached.";
      return untrusted;
    }
    if (typeof code === "string" && CONNECT_CODES.has(code)) {
      return new ProxyConnectionError(display, source, code, { cause: error });
    }
    return error;
  }

  async close(): Promise<void> {
    if (this.#closed || this.#agent === undefined) return;
    this.#closed = true;
    await (await this.#agent).close();
  }
}
