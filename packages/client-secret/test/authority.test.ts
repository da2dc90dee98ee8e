import { afterEach, describe, expect, it, vi } from "vitest";
import { AzureAuthorityHosts, ClientSecretCredential } from "../src/index.js";

function authorityOf(authority: string | undefined): string {
  const credential = new ClientSecretCredential("tenant", "client", "secret", {
    ...(authority === undefined ? {} : { authority }),
  });
  return (credential.toJSON() as { authorityHost: string }).authorityHost;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("authority", () => {
  it("exports the national cloud hosts exactly", () => {
    expect(AzureAuthorityHosts).toEqual({
      AzurePublicCloud: "login.microsoftonline.com",
      AzureChina: "login.chinacloudapi.cn",
      AzureGovernment: "login.microsoftonline.us",
    });
  });

  it("defaults to the public cloud when neither the option nor AZURE_AUTHORITY_HOST is set", () => {
    vi.stubEnv("AZURE_AUTHORITY_HOST", undefined);
    expect(authorityOf(undefined)).toBe("https://login.microsoftonline.com");
  });

  it("reads AZURE_AUTHORITY_HOST when the option is absent; the option wins over it", () => {
    vi.stubEnv("AZURE_AUTHORITY_HOST", "https://login.microsoftonline.us/");
    expect(authorityOf(undefined)).toBe("https://login.microsoftonline.us");
    expect(authorityOf(AzureAuthorityHosts.AzureChina)).toBe("https://login.chinacloudapi.cn");
  });

  it.each([
    ["login.microsoftonline.com", "https://login.microsoftonline.com"],
    ["  https://login.microsoftonline.us//  ", "https://login.microsoftonline.us"],
    ["https://LOGIN.chinacloudapi.cn:443/", "https://login.chinacloudapi.cn"],
    ["https://adfs.contoso.com/adfs/", "https://adfs.contoso.com/adfs"],
    ["localhost:8443", "https://localhost:8443"],
    ["http://localhost:8400", "http://localhost:8400"],
    ["http://127.0.0.1:8400/", "http://127.0.0.1:8400"],
    ["http://127.45.0.9", "http://127.45.0.9"],
    ["http://[::1]:9000", "http://[::1]:9000"],
  ])("normalizes %j to %j", (input, expected) => {
    expect(authorityOf(input)).toBe(expected);
  });

  it("refuses plain http to anything but loopback, and says to use https", () => {
    for (const authority of [
      "http://login.microsoftonline.com",
      "http://10.0.0.5:8080",
      "http://128.0.0.1",
    ]) {
      expect(() => authorityOf(authority)).toThrowError(TypeError);
    }
    expect(() => authorityOf("http://login.example.com/x")).toThrowError(
      /plain http.*Use "https:\/\/login\.example\.com\/x".*loopback/,
    );
  });

  it("refuses other schemes, credentials, queries and garbage with a TypeError that says what to pass", () => {
    expect(() => authorityOf("ftp://login.microsoftonline.com")).toThrowError(
      /unsupported scheme "ftp:"/,
    );
    expect(() => authorityOf("https://user:pw@login.microsoftonline.com")).toThrowError(
      /must not contain a user name or password/,
    );
    expect(() => authorityOf("https://login.microsoftonline.com/?x=1")).toThrowError(/query/);
    expect(() => authorityOf("https://exa mple.com")).toThrowError(/not a valid host or URL/);
    expect(() => authorityOf("   ")).toThrowError(
      /must be a host such as "login\.microsoftonline\.com"/,
    );
  });

  it("names AZURE_AUTHORITY_HOST when the environment variable is the bad value", () => {
    vi.stubEnv("AZURE_AUTHORITY_HOST", "http://login.microsoftonline.com");
    expect(() => authorityOf(undefined)).toThrowError(/AZURE_AUTHORITY_HOST/);
  });
});
