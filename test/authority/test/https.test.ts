import { request } from "node:https";
import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { startAuthority, type LocalAuthority } from "../src/index.js";
import { tokenParams } from "./helpers.js";

interface RawResponse {
  readonly status: number;
  readonly body: string;
}

function httpsPost(url: string, body: string, ca: string | undefined): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        ...(ca !== undefined ? { ca } : {}),
        agent: false,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("https mode", () => {
  it("serves tokens over TLS with a certificate clients can trust via `ca`", async () => {
    const authority: LocalAuthority = await startAuthority({ https: true });
    try {
      expect(authority.protocol).toBe("https");
      expect(authority.url).toBe(`https://127.0.0.1:${authority.port}`);
      expect(authority.certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);

      const cert = new X509Certificate(authority.certificate ?? "");
      expect(cert.checkIP("127.0.0.1")).toBe("127.0.0.1");
      expect(cert.checkHost("localhost")).toBe("localhost");

      const form = new URLSearchParams(tokenParams()).toString();
      const res = await httpsPost(authority.tokenEndpoint(), form, authority.certificate);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ token_type: "Bearer" });

      const viaLocalhost = authority.tokenEndpoint().replace("127.0.0.1", "localhost");
      expect((await httpsPost(viaLocalhost, form, authority.certificate)).status).toBe(200);
    } finally {
      await authority.close();
    }
  });

  it("is rejected by clients that do not trust the certificate", async () => {
    const authority = await startAuthority({ https: true });
    try {
      const form = new URLSearchParams(tokenParams()).toString();
      await expect(httpsPost(authority.tokenEndpoint(), form, undefined)).rejects.toMatchObject({
        code: "DEPTH_ZERO_SELF_SIGNED_CERT",
      });
    } finally {
      await authority.close();
    }
  });

  it("has no certificate over plain HTTP", async () => {
    const authority = await startAuthority();
    try {
      expect(authority.protocol).toBe("http");
      expect(authority.certificate).toBeUndefined();
    } finally {
      await authority.close();
    }
  });
});
