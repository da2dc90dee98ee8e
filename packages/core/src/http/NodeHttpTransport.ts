import type * as Http from "node:http";
import type { IncomingMessage } from "node:http";
import type * as Https from "node:https";
import type { SecureContext } from "node:tls";
import type { HttpRequest, HttpResponse, HttpTransport } from "./HttpTransport.js";
import { flattenHeaders, readCappedBody } from "./readCappedBody.js";
import { MAX_RESPONSE_BYTES } from "./ResponseTooLargeError.js";

/** What a request aborted by its signal rejects with: the signal's reason, as `fetch` does. */
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error
    ? reason
    : Object.assign(new Error("The request was aborted."), { name: "AbortError" });
}

/** The loaded client modules and this transport's keep-alive agents. */
interface Client {
  readonly http: typeof Http;
  readonly https: typeof Https;
  readonly httpAgent: Http.Agent;
  readonly httpsAgent: Https.Agent;
}

/** Options of the direct (unproxied) transport. */
export interface NodeHttpTransportOptions {
  maxResponseBytes?: number;
  /** The full CA list (see `trustedCertificates`); undefined keeps Node's defaults. */
  ca?: string[];
}

/**
 * The default transport for direct connections: `node:http` / `node:https` with one keep-alive
 * agent per protocol, so consecutive token requests to one authority reuse a warm TLS connection.
 * About 3x cheaper per request than the global `fetch` (no WHATWG streams, no Headers objects),
 * and it loads nothing beyond what Node already has. Never follows redirects (a token endpoint
 * never redirects legitimately; following one could send the secret elsewhere).
 */
export class NodeHttpTransport implements HttpTransport {
  readonly #maxResponseBytes: number;
  readonly #secureContext: SecureContext | undefined;
  #client: Client | undefined;

  constructor(options: NodeHttpTransportOptions = {}) {
    this.#maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    // One secure context built up front (so a bad PEM fails at construction), not `ca` on the
    // agent: the agent folds `ca` into the connection-pool key of every request, which for
    // Node's ~150 roots plus the extra CAs is a 200 KB string built per request.
    this.#secureContext =
      options.ca === undefined
        ? undefined
        : process.getBuiltinModule("node:tls").createSecureContext({ ca: options.ca });
  }

  /**
   * `node:http` / `node:https` and their agents, on the first request: loading them at import
   * would be a few ms of every process's start-up, for credentials that may never miss.
   */
  #loaded(): Client {
    if (this.#client === undefined) {
      const http = process.getBuiltinModule("node:http");
      const https = process.getBuiltinModule("node:https");
      this.#client = {
        http,
        https,
        // Idle sockets are unref'd by the agent, so keep-alive never holds a process open.
        httpAgent: new http.Agent({ keepAlive: true }),
        httpsAgent: new https.Agent(
          this.#secureContext === undefined
            ? { keepAlive: true }
            : { keepAlive: true, secureContext: this.#secureContext },
        ),
      };
    }
    return this.#client;
  }

  send(request: HttpRequest): Promise<HttpResponse> {
    const secure = request.url.startsWith("https:");
    const signal = request.signal;
    if (signal?.aborted === true) return Promise.reject(abortError(signal));
    const client = this.#loaded();
    return new Promise<HttpResponse>((resolve, reject) => {
      const options = {
        method: request.method,
        headers:
          request.body === undefined
            ? request.headers
            : { ...request.headers, "content-length": String(Buffer.byteLength(request.body)) },
        agent: secure ? client.httpsAgent : client.httpAgent,
      };
      // Abort by hand rather than with the `signal` option: Node's version tracks the request's
      // whole stream lifecycle per request, a tenth of a local round trip.
      const onAbort = (): void => {
        sent.destroy(abortError(signal as AbortSignal));
      };
      const settle = (): void => signal?.removeEventListener("abort", onAbort);
      const onResponse = (response: IncomingMessage): void => {
        readCappedBody(response, this.#maxResponseBytes, response.headers["content-length"]).then(
          (body) => {
            settle();
            resolve({
              status: response.statusCode ?? 0,
              headers: flattenHeaders(response.headers),
              body,
            });
          },
          (error: unknown) => {
            settle();
            reject(error);
          },
        );
      };
      const sent = secure
        ? client.https.request(request.url, options, onResponse)
        : client.http.request(request.url, options, onResponse);
      sent.on("error", (error) => {
        settle();
        reject(error);
      });
      signal?.addEventListener("abort", onAbort, { once: true });
      sent.end(request.body);
    });
  }

  /** Closes idle keep-alive connections; requests in flight finish. */
  close(): void {
    this.#client?.httpAgent.destroy();
    this.#client?.httpsAgent.destroy();
  }
}
