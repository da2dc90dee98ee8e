import { ResponseTooLargeError } from "./ResponseTooLargeError.js";

/** A response body as node:http and undici give it: an async iterable of byte chunks. */
interface ByteStream extends AsyncIterable<Uint8Array> {
  destroy(error?: Error): void;
}

/**
 * Reads at most `limit` bytes, then destroys the stream: a misconfigured authority that streams a
 * huge page must not fill the heap. A declared `content-length` over the cap fails before reading.
 */
export async function readCappedBody(
  body: ByteStream,
  limit: number,
  contentLength: string | string[] | undefined,
): Promise<string> {
  const declared = Number(contentLength);
  if (typeof contentLength === "string" && Number.isFinite(declared) && declared > limit) {
    body.destroy();
    throw new ResponseTooLargeError(limit);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) {
      body.destroy();
      throw new ResponseTooLargeError(limit);
    }
    chunks.push(chunk);
  }
  // One chunk (the usual token response) decodes without a copy.
  return chunks.length === 1
    ? Buffer.from(chunks[0]!.buffer, chunks[0]!.byteOffset, chunks[0]!.byteLength).toString("utf8")
    : Buffer.concat(chunks, size).toString("utf8");
}

/** Response headers as `HttpResponse` carries them: one string per lower-case name. */
export function flattenHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}
