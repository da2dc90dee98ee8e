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
    ["http://[0:0:0:0:0:0:0:1]:9000", "http://[::1]:9000"],
    ["HTTP://LOCALHOST:8400", "http://localhost:8400"],
    ["http://127.1:8400", "http://127.0.0.1:8400"],
    ["https://login.microsoftonline.com:8443", "https://login.microsoftonline.com:8443"],
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

  it("drops the credential's own tenant from the end of the authority, as @azure/identity allows it there", () => {
    const authorityFor = (tenantId: string, authority: string): string =>
      (
        new ClientSecretCredential(tenantId, "client", "secret", { authority }).toJSON() as {
          authorityHost: string;
        }
      ).authorityHost;
    expect(
      authorityFor(
        "contoso.onmicrosoft.com",
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/",
      ),
    ).toBe("https://login.microsoftonline.com");
    expect(
      authorityFor("contoso.onmicrosoft.com", "login.microsoftonline.us/Contoso.OnMicrosoft.com"),
    ).toBe("https://login.microsoftonline.us");
    expect(authorityFor("adfs", "https://adfs.contoso.com/adfs")).toBe("https://adfs.contoso.com");
    expect(authorityFor("t1", "http://127.0.0.1:8400/emulator/t1")).toBe(
      "http://127.0.0.1:8400/emulator",
    );
  });

  it("refuses any other path on an Entra host, and a pasted token endpoint anywhere", () => {
    for (const authority of [
      "https://login.microsoftonline.com/common",
      "https://login.microsoftonline.com/someone-else.onmicrosoft.com",
      "login.chinacloudapi.cn/organizations",
    ]) {
      expect(() => authorityOf(authority)).toThrowError(
        /has a path, but login\.[a-z.]+ takes none\. Pass "https:\/\/login\.[a-z.]+" and the tenant \("tenant"\) as tenantId/,
      );
    }
    for (const authority of [
      "https://login.microsoftonline.com/tenant/oauth2/v2.0/token",
      "http://localhost:8400/tenant/oauth2/v2.0/token",
      "https://login.microsoftonline.com/common/oauth2/token",
    ]) {
      expect(() => authorityOf(authority)).toThrowError(/looks like a token endpoint URL/);
    }
  });

  it("never quotes a password or a query string back in its errors", () => {
    for (const authority of [
      "https://user:hunter2@exa mple.com",
      "user:hunter2@exa mple.com",
      "https://login.microsoftonline.com/?client_secret=hunter2",
      "ftp://login.microsoftonline.com/#hunter2",
    ]) {
      let message = "";
      try {
        authorityOf(authority);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/authority/);
      expect(message).not.toContain("hunter2");
    }
  });

  it("names AZURE_AUTHORITY_HOST when the environment variable is the bad value", () => {
    vi.stubEnv("AZURE_AUTHORITY_HOST", "http://login.microsoftonline.com");
    expect(() => authorityOf(undefined)).toThrowError(/AZURE_AUTHORITY_HOST/);
  });
});
