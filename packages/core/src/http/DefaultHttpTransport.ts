import { HONOURS_SIGNAL } from "./honoursSignal.js";
import type { HttpRequest, HttpResponse, HttpTransport } from "./HttpTransport.js";
import { NodeHttpTransport } from "./NodeHttpTransport.js";
import type { ProxyEndpoint } from "./ProxyEndpoint.js";
import type { ProxyRoute } from "./resolveProxy.js";
import { UndiciProxyTransport } from "./UndiciProxyTransport.js";

/** What the default transport is built from, resolved once per credential. */
export interface DefaultHttpTransportOptions {
  route: ProxyRoute;
  /** The full CA list, or undefined for Node's defaults. */
  ca?: string[];
  maxResponseBytes?: number;
}

/**
 * The transport a credential uses when no plugin registered one: each request goes direct
 * (`node:https` keep-alive) or through the proxy its URL resolves to (undici, loaded then).
 */
export class DefaultHttpTransport implements HttpTransport {
  /** Both paths reject as soon as the request's signal aborts (undici's `request` does too). */
  readonly [HONOURS_SIGNAL] = true;
  readonly #route: ProxyRoute;
  readonly #direct: NodeHttpTransport;
  readonly #proxied = new Map<string, UndiciProxyTransport>();
  readonly #options: DefaultHttpTransportOptions;

  constructor(options: DefaultHttpTransportOptions) {
    this.#options = options;
    this.#route = options.route;
    this.#direct = new NodeHttpTransport(options);
  }

  send(request: HttpRequest): Promise<HttpResponse> {
    if (!this.#route.enabled) return this.#direct.send(request);
    const proxy = this.#route.proxyFor(new URL(request.url));
    return proxy === undefined ? this.#direct.send(request) : this.#through(proxy).send(request);
  }

  #through(proxy: ProxyEndpoint): UndiciProxyTransport {
    let transport = this.#proxied.get(proxy.url);
    if (transport === undefined) {
      transport = new UndiciProxyTransport(proxy, this.#options);
      this.#proxied.set(proxy.url, transport);
    }
    return transport;
  }

  /** Closes keep-alive connections, direct and proxied. */
  async close(): Promise<void> {
    this.#direct.close();
    await Promise.all([...this.#proxied.values()].map((transport) => transport.close()));
  }
}
