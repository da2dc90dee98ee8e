import { isNeverProxied } from "./neverProxied.js";
import { NoProxy } from "./noProxy.js";
import { parseProxyUrl, type ProxyEndpoint } from "./ProxyEndpoint.js";

/** The environment variables proxy resolution reads; `process.env` by default. */
export type ProxyEnvironment = Readonly<Record<string, string | undefined>>;

/** Which proxy, if any, each request goes through. Resolved once per credential. */
export interface ProxyRoute {
  /** The proxy for `url`, or undefined to connect directly. */
  proxyFor(url: URL): ProxyEndpoint | undefined;
  /** Whether any request could ever be proxied (false: the direct transport is all there is). */
  readonly enabled: boolean;
}

const DIRECT: ProxyRoute = { proxyFor: () => undefined, enabled: false };

/** Lower case wins when both spellings are set, as curl and Go's httpproxy do. */
function variable(
  env: ProxyEnvironment,
  name: string,
): { name: string; value: string } | undefined {
  const lower = name.toLowerCase();
  const lowerValue = env[lower];
  if (lowerValue !== undefined && lowerValue.trim() !== "")
    return { name: lower, value: lowerValue.trim() };
  const upperValue = env[name];
  if (upperValue !== undefined && upperValue.trim() !== "")
    return { name, value: upperValue.trim() };
  return undefined;
}

/**
 * Resolves the `proxy` option against the environment, once:
 * - `false`: never a proxy; the environment is not read.
 * - a string: that proxy for every host except loopback and link-local ones (`NO_PROXY` still
 *   applies, as it does in curl: an explicit proxy does not override an explicit exception).
 * - unset: `HTTPS_PROXY`, else `ALL_PROXY`, else `HTTP_PROXY` for https URLs; `HTTP_PROXY`, else
 *   `ALL_PROXY` for http ones; minus `NO_PROXY`. Lower case wins when both cases are set.
 *
 * Loopback and link-local hosts (`localhost`, 127.0.0.0/8, `::1`, 169.254.0.0/16, fe80::/10) are
 * never proxied: a proxy cannot reach this machine's emulators or IMDS on our behalf.
 */
export function resolveProxy(
  option: string | false | undefined,
  env: ProxyEnvironment,
): ProxyRoute {
  if (option === false) return DIRECT;
  if (option !== undefined && typeof option !== "string") {
    throw new TypeError('proxy must be a proxy URL string ("http://host:port") or false.');
  }
  const noProxy = new NoProxy(variable(env, "NO_PROXY")?.value);
  let https: ProxyEndpoint | undefined;
  let http: ProxyEndpoint | undefined;
  if (option !== undefined) {
    if (option.trim() === "") return DIRECT;
    https = http = parseProxyUrl(option.trim(), "proxy");
  } else {
    const chosenHttps =
      variable(env, "HTTPS_PROXY") ?? variable(env, "ALL_PROXY") ?? variable(env, "HTTP_PROXY");
    const chosenHttp = variable(env, "HTTP_PROXY") ?? variable(env, "ALL_PROXY");
    if (chosenHttps !== undefined) https = parseProxyUrl(chosenHttps.value, chosenHttps.name);
    if (chosenHttp !== undefined) {
      http = parseProxyUrl(chosenHttp.value, chosenHttp.name);
    }
  }
  if (https === undefined && http === undefined) return DIRECT;
  return {
    enabled: true,
    proxyFor(url: URL): ProxyEndpoint | undefined {
      const endpoint = url.protocol === "https:" ? https : http;
      if (endpoint === undefined || isNeverProxied(url.hostname)) return undefined;
      const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
      return noProxy.matches(url.hostname, port) ? undefined : endpoint;
    },
  };
}
