/** One HTTP request as a transport sends it. Header names are lower-case. */
export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** One HTTP response, its body fully read. Header names are lower-case. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one request, once. Retries, the overall timeout, abort handling and the response size cap
 * wrap whatever transport is registered under `Tokens.HttpTransport`, so a custom transport (a
 * proxy agent, a recorder) only has to send. It must honour `request.signal`.
 */
export interface HttpTransport {
  send(request: HttpRequest): Promise<HttpResponse>;
}
