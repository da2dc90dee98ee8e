import { describe, expect, it } from "vitest";
import { parseProxyUrl } from "../src/http/ProxyEndpoint.js";
import { resolveProxy } from "../src/http/resolveProxy.js";

const AUTHORITY = new URL("https://login.microsoftonline.com/tenant/oauth2/v2.0/token");
const HTTP_TARGET = new URL("http://metadata.example/token");
const proxyOf = (route: ReturnType<typeof resolveProxy>, url = AUTHORITY): string | undefined =>
  route.proxyFor(url)?.url;

describe("proxy precedence (environment)", () => {
  it("uses HTTPS_PROXY, else ALL_PROXY, else HTTP_PROXY for an https authority", () => {
    const all = {
      HTTPS_PROXY: "http://https-proxy:1",
      ALL_PROXY: "http://all-proxy:2",
      HTTP_PROXY: "http://http-proxy:3",
    };
    expect(proxyOf(resolveProxy(undefined, all))).toBe("http://https-proxy:1");
    expect(proxyOf(resolveProxy(undefined, { ...all, HTTPS_PROXY: undefined }))).toBe(
      "http://all-proxy:2",
    );
    expect(proxyOf(resolveProxy(undefined, { HTTP_PROXY: "http://http-proxy:3" }))).toBe(
      "http://http-proxy:3",
    );
  });

  it("uses HTTP_PROXY, else ALL_PROXY for an http URL", () => {
    const env = { HTTPS_PROXY: "http://https-proxy:1", ALL_PROXY: "http://all-proxy:2" };
    expect(proxyOf(resolveProxy(undefined, env), HTTP_TARGET)).toBe("http://all-proxy:2");
    expect(
      proxyOf(resolveProxy(undefined, { ...env, HTTP_PROXY: "http://h:3" }), HTTP_TARGET),
    ).toBe("http://h:3");
  });

  it("prefers the lower-case variable when both cases are set", () => {
    const env = { HTTPS_PROXY: "http://upper:1", https_proxy: "http://lower:2" };
    expect(proxyOf(resolveProxy(undefined, env))).toBe("http://lower:2");
    expect(proxyOf(resolveProxy(undefined, { no_proxy: "x.test", NO_PROXY: "*", ...env }))).toBe(
      "http://lower:2",
    );
  });

  it("treats empty variables as unset", () => {
    expect(proxyOf(resolveProxy(undefined, { https_proxy: " ", HTTPS_PROXY: "http://u:1" }))).toBe(
      "http://u:1",
    );
    expect(resolveProxy(undefined, { HTTPS_PROXY: "" }).enabled).toBe(false);
  });

  it("subtracts NO_PROXY", () => {
    const env = { HTTPS_PROXY: "http://p:1", NO_PROXY: ".microsoftonline.com" };
    expect(proxyOf(resolveProxy(undefined, env))).toBeUndefined();
    expect(proxyOf(resolveProxy(undefined, env), new URL("https://login.chinacloudapi.cn/t"))).toBe(
      "http://p:1",
    );
  });

  it("never proxies loopback or link-local hosts, NO_PROXY or not", () => {
    const route = resolveProxy(undefined, { HTTPS_PROXY: "http://p:1", HTTP_PROXY: "http://p:1" });
    for (const url of [
      "http://127.0.0.1:8080/t",
      "http://localhost:8080/t",
      "http://[::1]:8080/t",
      "http://169.254.169.254/metadata/identity/oauth2/token",
      "https://[fe80::1]/t",
    ]) {
      expect(route.proxyFor(new URL(url))).toBeUndefined();
    }
  });
});

describe("the proxy option", () => {
  it("wins over the environment, and NO_PROXY still applies", () => {
    const env = { HTTPS_PROXY: "http://env:1", NO_PROXY: "login.microsoftonline.us" };
    const route = resolveProxy("http://option:2", env);
    expect(proxyOf(route)).toBe("http://option:2");
    expect(proxyOf(route, new URL("https://login.microsoftonline.us/t"))).toBeUndefined();
    expect(proxyOf(route, HTTP_TARGET)).toBe("http://option:2");
  });

  it("false ignores the environment", () => {
    const route = resolveProxy(false, { HTTPS_PROXY: "http://env:1", ALL_PROXY: "http://a:2" });
    expect(route.enabled).toBe(false);
    expect(proxyOf(route)).toBeUndefined();
  });

  it("no proxy anywhere: direct, and the route says so", () => {
    expect(resolveProxy(undefined, {}).enabled).toBe(false);
  });

  it("rejects what is not a string or false", () => {
    expect(() => resolveProxy(true as unknown as string, {})).toThrow(TypeError);
    expect(() => resolveProxy(3128 as unknown as string, {})).toThrow(/proxy URL string/);
  });
});

describe("proxy URLs", () => {
  it("takes credentials from the userinfo, percent-decoded, and masks them", () => {
    const proxy = parseProxyUrl("http://us%40er:p%3Ass%20w0rd@proxy.corp:3128", "HTTPS_PROXY");
    expect(proxy).toMatchObject({
      url: "http://proxy.corp:3128",
      username: "us@er",
      password: "p:ss w0rd",
      source: "HTTPS_PROXY",
    });
    expect(proxy.display).toBe("http://us%40er:***@proxy.corp:3128");
    expect(proxy.display).not.toContain("p%3Ass");
  });

  it("accepts https proxies and a value without a scheme (as http)", () => {
    expect(parseProxyUrl("https://proxy.corp:8443", "proxy").url).toBe("https://proxy.corp:8443");
    expect(parseProxyUrl("proxy.corp:3128", "HTTPS_PROXY").url).toBe("http://proxy.corp:3128");
  });

  it("refuses other schemes, paths and garbage without quoting the value", () => {
    for (const value of [
      "socks5://user:hunter22@proxy:1080",
      "http://user:hunter22@proxy:3128/path",
      "http://user:hunter22@",
      "ftp://user:hunter22@proxy",
    ]) {
      let error: unknown;
      try {
        parseProxyUrl(value, "HTTPS_PROXY");
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TypeError);
      expect(String((error as Error).message)).toContain("HTTPS_PROXY");
      expect(String((error as Error).message)).not.toContain("hunter22");
    }
  });
});
