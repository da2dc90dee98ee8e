/** The default response size cap: token responses are a few KiB; anything near this is not one. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** A response body was larger than the cap. Not retried: the same endpoint will answer the same. */
export class ResponseTooLargeError extends Error {
  override readonly name = "ResponseTooLargeError";

  constructor(limitInBytes: number) {
    super(
      `The response body exceeded ${limitInBytes} bytes, more than any token response. ` +
        "Check that the authority URL points at a Microsoft Entra token endpoint.",
    );
  }
}
