import { isIP } from "node:net";

type Env = Readonly<Record<string, string | undefined>>;

/** Lower case wins when both cases are set, as curl and credchain's transport do. */
function variable(env: Env, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

function isLoopbackOrLinkLocal(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost" || bare === "::1") return true;
  if (isIP(bare) === 4) return bare.startsWith("127.") || bare.startsWith("169.254.");
  return bare.startsWith("fe80:");
}

function bypassed(url: URL, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  for (const raw of noProxy.split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") return true;
    const [name = "", entryPort] = entry.startsWith("[")
      ? [entry.slice(1, entry.indexOf("]")), entry.split("]:")[1]]
      : entry.split(":");
    if (entryPort !== undefined && entryPort !== port) continue;
    const suffix = name.replace(/^\*?\./, "");
    if (host === suffix || host.endsWith(`.${suffix}`)) return true;
  }
  return false;
}

/**
 * The proxy a request to `url` goes through, by the rule every credchain credential follows: for
 * https `HTTPS_PROXY`, else `ALL_PROXY`, else `HTTP_PROXY` (for http: `HTTP_PROXY`, else
 * `ALL_PROXY`), minus `NO_PROXY`; loopback and link-local hosts are never proxied.
 */
export function proxyForUrl(url: URL, env: Env): URL | undefined {
  if (isLoopbackOrLinkLocal(url.hostname)) return undefined;
  if (bypassed(url, variable(env, "no_proxy"))) return undefined;
  const names =
    url.protocol === "https:"
      ? ["https_proxy", "all_proxy", "http_proxy"]
      : ["http_proxy", "all_proxy"];
  for (const name of names) {
    const value = variable(env, name);
    if (value === undefined) continue;
    try {
      return new URL(value.includes("://") ? value : `http://${value}`);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The proxy URL without its password, for the table. */
export function displayProxy(proxy: URL): string {
  const shown = new URL(proxy.href);
  if (shown.password !== "") shown.password = "***";
  return shown.href.replace(/\/$/, "");
}
