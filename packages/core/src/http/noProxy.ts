import type { BlockList } from "node:net";

// node:net on demand: NO_PROXY is parsed only when a proxy is configured.
const isIP = (input: string): number => process.getBuiltinModule("node:net").isIP(input);
const newBlockList = (): BlockList => new (process.getBuiltinModule("node:net").BlockList)();
import { stripBrackets } from "./neverProxied.js";

/** One `NO_PROXY` entry, parsed. */
type NoProxyRule =
  | { kind: "all" }
  | { kind: "host"; host: string; port?: number }
  | { kind: "suffix"; suffix: string; port?: number }
  | { kind: "ip"; address: string; family: "ipv4" | "ipv6"; port?: number }
  | { kind: "cidr"; list: BlockList; port?: undefined };

/**
 * `NO_PROXY`, parsed once. The syntax every tool agrees on, plus what curl and Go accept:
 * entries separated by commas and/or whitespace; `*` alone bypasses the proxy for every host;
 * `example.com` matches that host and its subdomains, `.example.com` and `*.example.com` only
 * subdomains... and, as in curl, the domain itself too (`.example.com` is how people write "this
 * domain"); `host:port` limits an entry to one port; `10.0.0.0/8` and `fd00::/8` are CIDR ranges;
 * IPv6 addresses may be bracketed (`[::1]:8080`). Hosts are compared case-insensitively, without a
 * trailing dot. An entry that parses as none of these is ignored rather than matching too much.
 */
export class NoProxy {
  readonly #rules: readonly NoProxyRule[];

  constructor(value: string | undefined) {
    this.#rules = parseNoProxy(value ?? "");
  }

  /** Whether any entry was given (an empty `NO_PROXY` bypasses nothing). */
  get isEmpty(): boolean {
    return this.#rules.length === 0;
  }

  /** Whether a request to `hostname` (URL.hostname) on `port` goes direct. */
  matches(hostname: string, port: number): boolean {
    if (this.#rules.length === 0) return false;
    const host = normalizeHost(stripBrackets(hostname));
    const family = isIP(host);
    for (const rule of this.#rules) {
      if (rule.kind === "all") return true;
      if (rule.port !== undefined && rule.port !== port) continue;
      switch (rule.kind) {
        case "host":
          if (
            family === 0 ? host === rule.host || host.endsWith(`.${rule.host}`) : host === rule.host
          ) {
            return true;
          }
          break;
        case "suffix":
          if (family === 0 && (host === rule.suffix || host.endsWith(`.${rule.suffix}`)))
            return true;
          break;
        case "ip":
          if (family !== 0 && sameAddress(host, family, rule.address, rule.family)) return true;
          break;
        case "cidr":
          if (family === 4 && rule.list.check(host, "ipv4")) return true;
          if (family === 6 && rule.list.check(host, "ipv6")) return true;
          break;
      }
    }
    return false;
  }
}

function normalizeHost(host: string): string {
  const lower = host.toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}

function sameAddress(
  host: string,
  family: number,
  address: string,
  ruleFamily: "ipv4" | "ipv6",
): boolean {
  // BlockList compares addresses numerically, so "::0:1" and "::1" are the same address.
  const list = newBlockList();
  list.addAddress(address, ruleFamily);
  return list.check(host, family === 4 ? "ipv4" : "ipv6");
}

function parsePort(text: string): number | undefined | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port > 0 && port <= 65_535 ? port : null;
}

/** Splits `host[:port]`, `[v6]:port` and bare IPv6; null when the port is not a port. */
function splitHostPort(entry: string): { host: string; port?: number } | null {
  if (entry.startsWith("[")) {
    const end = entry.indexOf("]");
    if (end === -1) return null;
    const host = entry.slice(1, end);
    const rest = entry.slice(end + 1);
    if (rest === "") return { host };
    if (!rest.startsWith(":")) return null;
    const port = parsePort(rest.slice(1));
    return port === null || port === undefined ? null : { host, port };
  }
  const colons = entry.split(":").length - 1;
  if (colons === 1) {
    const at = entry.indexOf(":");
    const port = parsePort(entry.slice(at + 1));
    return port === null || port === undefined ? null : { host: entry.slice(0, at), port };
  }
  // No colon: a host; several: an unbracketed IPv6 address (or range), which has no port.
  return { host: entry };
}

function parseRule(raw: string): NoProxyRule | undefined {
  if (raw === "*") return { kind: "all" };
  // CIDR first, "10.0.0.0/8", "fd00::/8" or "[fd00::]/8": a range has no port.
  const slash = raw.indexOf("/");
  if (slash !== -1) {
    const address = raw.slice(0, slash).replace(/^\[/, "").replace(/\]$/, "");
    const prefixText = raw.slice(slash + 1);
    const family = isIP(address);
    if (family === 0 || !/^\d{1,3}$/.test(prefixText)) return undefined;
    const prefix = Number(prefixText);
    if (prefix > (family === 4 ? 32 : 128)) return undefined;
    const list = newBlockList();
    list.addSubnet(address, prefix, family === 4 ? "ipv4" : "ipv6");
    return { kind: "cidr", list };
  }
  const split = splitHostPort(raw);
  if (split === null || split.host === "") return undefined;
  const port = split.port === undefined ? {} : { port: split.port };
  const host = normalizeHost(split.host);
  const family = isIP(host);
  if (family !== 0)
    return { kind: "ip", address: host, family: family === 4 ? "ipv4" : "ipv6", ...port };
  if (host.startsWith("*.")) return suffixRule(host.slice(2), port);
  if (host.startsWith(".")) return suffixRule(host.slice(1), port);
  if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(host)) return undefined;
  return { kind: "host", host, ...port };
}

function suffixRule(suffix: string, port: { port?: number }): NoProxyRule | undefined {
  if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(suffix)) return undefined;
  return { kind: "suffix", suffix, ...port };
}

function parseNoProxy(value: string): NoProxyRule[] {
  const rules: NoProxyRule[] = [];
  for (const raw of value.split(/[\s,]+/)) {
    if (raw === "") continue;
    const rule = parseRule(raw.trim());
    if (rule !== undefined) rules.push(rule);
  }
  return rules;
}
