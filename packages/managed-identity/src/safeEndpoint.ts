/** An endpoint URL without query or fragment: what messages, logs and `toJSON` may show. */
export function safeEndpoint(url: URL): string {
  return `${url.origin}${url.pathname}`;
}
