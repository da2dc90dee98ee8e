import { describe, expect, it } from "vitest";
import { isNeverProxied } from "../src/http/neverProxied.js";
import { NoProxy } from "../src/http/noProxy.js";

// [NO_PROXY value, hostname as URL.hostname gives it, port, bypasses the proxy?]
const table: Array<[string, string, number, boolean]> = [
  // exact hosts, case and trailing dot insensitive
  ["login.microsoftonline.com", "login.microsoftonline.com", 443, true],
  ["LOGIN.microsoftonline.com", "login.MICROSOFTONLINE.com", 443, true],
  ["login.microsoftonline.com.", "login.microsoftonline.com", 443, true],
  ["login.microsoftonline.com", "login.microsoftonline.com.", 443, true],
  ["login.microsoftonline.com", "login.microsoftonline.us", 443, false],
  // a bare domain also matches its subdomains (curl, Go), never a longer label
  ["microsoftonline.com", "login.microsoftonline.com", 443, true],
  ["microsoftonline.com", "notmicrosoftonline.com", 443, false],
  ["microsoftonline.com", "microsoftonline.com.evil.test", 443, false],
  // .suffix and *.suffix: subdomains, and the domain itself
  [".microsoftonline.com", "login.microsoftonline.com", 443, true],
  [".microsoftonline.com", "a.b.microsoftonline.com", 443, true],
  [".microsoftonline.com", "microsoftonline.com", 443, true],
  [".microsoftonline.com", "xmicrosoftonline.com", 443, false],
  ["*.microsoftonline.com", "login.microsoftonline.com", 443, true],
  ["*.microsoftonline.com", "xmicrosoftonline.com", 443, false],
  // :port limits an entry to one port
  ["login.microsoftonline.com:443", "login.microsoftonline.com", 443, true],
  ["login.microsoftonline.com:8443", "login.microsoftonline.com", 443, false],
  [".example.com:8443", "a.example.com", 8443, true],
  [".example.com:8443", "a.example.com", 443, false],
  // IPv4 and IPv6 addresses and CIDR ranges
  ["10.1.2.3", "10.1.2.3", 443, true],
  ["10.1.2.3", "10.1.2.4", 443, false],
  ["10.1.2.3:8443", "10.1.2.3", 8443, true],
  ["10.1.2.3:8443", "10.1.2.3", 443, false],
  ["10.0.0.0/8", "10.200.3.4", 443, true],
  ["10.0.0.0/8", "11.0.0.1", 443, false],
  ["192.168.1.0/24", "192.168.1.255", 443, true],
  ["192.168.1.0/24", "192.168.2.1", 443, false],
  ["0.0.0.0/0", "203.0.113.7", 443, true],
  ["10.0.0.0/8", "ten.example.com", 443, false],
  ["2001:db8::1", "[2001:db8::1]", 443, true],
  ["2001:db8::1", "[2001:db8:0:0::1]", 443, true],
  ["[2001:db8::1]", "[2001:db8::1]", 443, true],
  ["[2001:db8::1]:8443", "[2001:db8::1]", 8443, true],
  ["[2001:db8::1]:8443", "[2001:db8::1]", 443, false],
  ["2001:db8::/32", "[2001:db8:ffff::5]", 443, true],
  ["2001:db8::/32", "[2001:db9::5]", 443, false],
  ["[2001:db8::]/32", "[2001:db8::5]", 443, true],
  ["fd00::/8", "10.0.0.1", 443, false],
  // * alone bypasses everything; as a part of a name it is not a wildcard
  ["*", "login.microsoftonline.com", 443, true],
  ["*", "[2001:db8::1]", 443, true],
  ["corp.test, *", "login.microsoftonline.com", 443, true],
  ["login*.com", "login.microsoftonline.com", 443, false],
  // separators: commas, spaces, tabs, newlines, in any mix; empty entries skipped
  ["a.test,b.test", "b.test", 443, true],
  ["a.test b.test", "b.test", 443, true],
  ["a.test ,\t b.test\n", "b.test", 443, true],
  [",,, ,", "b.test", 443, false],
  ["", "b.test", 443, false],
  // malformed entries are ignored, never widened into a match
  ["host:notaport", "host", 443, false],
  ["host:99999", "host", 99999, false],
  ["10.0.0.0/99", "10.0.0.1", 443, false],
  ["10.0.0.0/x", "10.0.0.1", 443, false],
  ["[::1", "::1", 443, false],
  ["bad host name!, good.test", "good.test", 443, true],
];

describe("NO_PROXY matching", () => {
  it.each(table)("NO_PROXY=%j, host %s port %i -> bypass %s", (value, host, port, bypass) => {
    expect(new NoProxy(value).matches(host, port)).toBe(bypass);
  });

  it("is empty without entries", () => {
    expect(new NoProxy(undefined).isEmpty).toBe(true);
    expect(new NoProxy(" , ").isEmpty).toBe(true);
    expect(new NoProxy("a.test").isEmpty).toBe(false);
  });
});

describe("hosts that are never proxied", () => {
  it.each([
    ["localhost", true],
    ["LOCALHOST", true],
    ["app.localhost", true],
    ["127.0.0.1", true],
    ["127.255.0.9", true],
    ["[::1]", true],
    ["::1", true],
    ["[::ffff:127.0.0.1]", true],
    ["169.254.169.254", true],
    ["169.254.0.1", true],
    ["[fe80::1]", true],
    ["[febf::1]", true],
    ["[fec0::1]", false],
    ["169.255.0.1", false],
    ["128.0.0.1", false],
    ["10.0.0.1", false],
    ["login.microsoftonline.com", false],
    ["localhost.example.com", false],
    ["[2001:db8::1]", false],
  ])("%s -> %s", (host, never) => {
    expect(isNeverProxied(host)).toBe(never);
  });
});
