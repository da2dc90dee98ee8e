import type * as UndiciModule from "undici";
import type { Dispatcher } from "undici";
import { ProxyAuthenticationError } from "../errors/ProxyAuthenticationError.js";
import { ProxyConnectionError } from "../errors/ProxyConnectionError.js";
import { ProxyTunnelError } from "../errors/ProxyTunnelError.js";
import type { HttpRequest, HttpResponse, HttpTransport } from "./HttpTransport.js";
import type { ProxyEndpoint } from "./ProxyEndpoint.js";
import { flattenHeaders, readCappedBody } from "./readCappedBody.js";
import { MAX_RESPONSE_BYTES } from "./ResponseTooLargeError.js";

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
    this.#agent ??= loadUndici().then(({ ProxyAgent }) => {
      const proxy = this.#proxy;
      const tls = this.#ca === undefined ? undefined : { ca: this.#ca };
      return new ProxyAgent({
        uri: proxy.url,
        ...(proxy.username === undefined
          ? {}
          : {
              token: `Basic ${Buffer.from(`${proxy.username}:${proxy.password ?? ""}`).toString("base64")}`,
            }),
        ...(tls === undefined ? {} : { requestTls: tls, proxyTls: tls }),
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
