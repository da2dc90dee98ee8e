import type { HttpRequest, HttpResponse, HttpTransport } from "./HttpTransport.js";
import { MAX_RESPONSE_BYTES, ResponseTooLargeError } from "./ResponseTooLargeError.js";

/**
 * Reads at most `limit` bytes, then cancels the stream: a misconfigured authority that streams a
 * huge page must not fill the heap.
 */
async function readCapped(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => {});
    throw new ResponseTooLargeError(limit);
  }
  if (response.body === null) return "";
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new ResponseTooLargeError(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString("utf8");
}

/** The default transport: Node's built-in fetch, one attempt, body capped. */
export class FetchHttpTransport implements HttpTransport {
  readonly #maxResponseBytes: number;

  constructor(options: { maxResponseBytes?: number } = {}) {
    this.#maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    const init: RequestInit = {
      method: request.method,
      headers: request.headers,
      // A token endpoint never redirects legitimately; following one could send the secret elsewhere.
      redirect: "manual",
    };
    if (request.body !== undefined) init.body = request.body;
    if (request.signal !== undefined) init.signal = request.signal;
    const response = await fetch(request.url, init);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return {
      status: response.status,
      headers,
      body: await readCapped(response, this.#maxResponseBytes),
    };
  }
}
