/**
 * Whether `hostname` (a URL's hostname: IPv6 in brackets or not) is loopback or link-local.
 * Such a host is on this machine or this link (a local emulator, IMDS at 169.254.169.254), so a
 * proxy could never reach it on our behalf: it is always dialled directly, whatever the settings.
 */
export function isNeverProxied(hostname: string): boolean {
  const host = stripBrackets(hostname).toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  // node:net on demand: only a credential with a proxy configured ever asks.
  const kind = process.getBuiltinModule("node:net").isIP(host);
  if (kind === 4) {
    const [a, b] = host.split(".").map(Number);
    return a === 127 || (a === 169 && b === 254);
  }
  if (kind === 6) {
    if (host === "::1") return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
    if (mapped?.[1] !== undefined) return isNeverProxied(mapped[1]);
    // fe80::/10: the first 10 bits are 1111111010, i.e. the first group is fe80 to febf.
    const first = parseInt(host.split(":")[0] || "0", 16);
    return (first & 0xffc0) === 0xfe80;
  }
  return false;
}

/** `[::1]` as URL.hostname gives it, or `::1`: the address without brackets. */
export function stripBrackets(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}
