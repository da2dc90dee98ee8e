import { request as httpRequest, type IncomingMessage } from "node:http";
import { isIP } from "node:net";
import { connect, type TLSSocket } from "node:tls";
import {
  MAX_RESPONSE_BYTES,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
} from "@credchain/core";

function normalizeThumbprint(value: string): string {
  return value.replace(/[:\s]/g, "").toUpperCase();
}

/** Whether `value` looks like a certificate thumbprint: SHA-1 (40) or SHA-256 (64) hex digits. */
export function isThumbprint(value: string): boolean {
  return /^(?:[0-9A-F]{40}|[0-9A-F]{64})$/.test(normalizeThumbprint(value));
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error("aborted");
}

/**
 * Service Fabric's managed identity endpoint serves HTTPS with the cluster's self-signed
 * certificate, named by `IDENTITY_SERVER_THUMBPRINT`. Instead of turning certificate checks off
 * (what other SDKs do), this transport completes the TLS handshake first, compares the peer
 * certificate's thumbprint, and only then sends the request (and its `secret` header) over that
 * connection. One connection per request; the endpoint is on the node.
 */
export class PinnedCertificateTransport implements HttpTransport {
  readonly #thumbprint: string;

  constructor(thumbprint: string) {
    this.#thumbprint = normalizeThumbprint(thumbprint);
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    const url = new URL(request.url);
    const socket = await this.#connect(url, request.signal);
    return new Promise<HttpResponse>((resolve, reject) => {
      const outgoing = httpRequest(
        {
          createConnection: () => socket,
          method: request.method,
          path: `${url.pathname}${url.search}`,
          headers: { host: url.host, connection: "close", ...request.headers },
          ...(request.signal === undefined ? {} : { signal: request.signal }),
        },
        (response) => {
          readBody(response).then((body) => {
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(response.headers)) {
              if (value !== undefined)
                headers[name] = Array.isArray(value) ? value.join(", ") : value;
            }
            resolve({ status: response.statusCode ?? 0, headers, body });
          }, reject);
        },
      );
      outgoing.on("error", (error) => {
        socket.destroy();
        reject(error);
      });
      outgoing.end(request.body);
    });
  }

  #connect(url: URL, signal: AbortSignal | undefined): Promise<TLSSocket> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<TLSSocket>((resolve, reject) => {
      const host = url.hostname.replace(/^\[|\]$/g, "");
      const socket = connect({
        host,
        port: Number(url.port || 443),
        ...(isIP(host) === 0 ? { servername: host } : {}),
        // The chain cannot verify (self-signed); the thumbprint below is the check instead.
        rejectUnauthorized: false,
      });
      const onAbort = (): void => {
        socket.destroy();
        reject(abortError(signal));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      socket.once("error", (error: Error) => {
        signal?.removeEventListener("abort", onAbort);
        reject(error);
      });
      socket.once("secureConnect", () => {
        signal?.removeEventListener("abort", onAbort);
        const certificate = socket.getPeerCertificate();
        const seen = normalizeThumbprint(
          this.#thumbprint.length === 40 ? certificate.fingerprint : certificate.fingerprint256,
        );
        if (seen !== this.#thumbprint) {
          socket.destroy();
          reject(
            Object.assign(
              new Error(
                "the endpoint's TLS certificate does not match IDENTITY_SERVER_THUMBPRINT; nothing was sent",
              ),
              { code: "ERR_CERTIFICATE_THUMBPRINT_MISMATCH" },
            ),
          );
          return;
        }
        resolve(socket);
      });
    });
  }
}

/** Reads a response body up to the core's cap. */
async function readBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    size += (chunk as Buffer).length;
    if (size > MAX_RESPONSE_BYTES) {
      response.destroy();
      throw new Error(`the response is larger than ${MAX_RESPONSE_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
