import { once } from "node:events";
import { Agent, request, type ClientRequest, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { startAuthority } from "../src/index.js";
import { tokenParams } from "./helpers.js";

function post(
  url: string,
  agent: Agent,
): { req: ClientRequest; response: Promise<IncomingMessage> } {
  const req = request(url, {
    method: "POST",
    agent,
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.once("response", resolve);
    req.once("error", reject);
  });
  req.end(new URLSearchParams(tokenParams()).toString());
  return { req, response };
}

describe("lifecycle", () => {
  it("listens on 127.0.0.1 on a free port by default", async () => {
    const authority = await startAuthority();
    try {
      expect(authority.port).toBeGreaterThan(0);
      expect(authority.host).toBe(`127.0.0.1:${authority.port}`);
      expect(authority.url).toBe(`http://127.0.0.1:${authority.port}`);
    } finally {
      await authority.close();
    }
  });

  it("close() drops idle keep-alive connections", async () => {
    const authority = await startAuthority();
    const agent = new Agent({ keepAlive: true });
    try {
      const { req, response } = post(authority.tokenEndpoint(), agent);
      const socket = await new Promise<Socket>((resolve) => req.once("socket", resolve));
      const res = await response;
      res.resume();
      await once(res, "end");
      expect(res.statusCode).toBe(200);
      expect(socket.destroyed).toBe(false);

      const socketClosed = once(socket, "close");
      await authority.close();
      await socketClosed;
      expect(socket.destroyed).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it("close() ends hanging and delayed requests instead of waiting for them", async () => {
    // If close() waited for these, it would never resolve: one hangs, one waits ten minutes.
    const authority = await startAuthority({
      faults: [{ kind: "latency", ms: 600_000, tenant: "slow" }],
    });
    authority.enqueueFaults([{ kind: "hang", tenant: "stuck" }]);
    const agent = new Agent({ keepAlive: true });
    try {
      const hanging = post(authority.tokenEndpoint("stuck"), agent).response;
      const delayed = post(authority.tokenEndpoint("slow"), agent).response;
      const outcomes = Promise.allSettled([hanging, delayed]);
      await authority.waitForTokenRequests(2);
      await authority.close();
      const [h, d] = await outcomes;
      expect(h.status).toBe("rejected");
      expect(d.status).toBe("rejected");
    } finally {
      agent.destroy();
    }
  });

  it("close() is idempotent, rejects pending waits, and refuses new connections", async () => {
    const authority = await startAuthority();
    const waiting = authority.waitForTokenRequests(1);
    const closing = authority.close();
    expect(authority.close()).toBe(closing);
    await closing;
    await expect(waiting).rejects.toThrow(/closed/);
    await expect(authority.waitForTokenRequests(1)).rejects.toThrow(/closed/);
    await expect(fetch(authority.tokenEndpoint(), { method: "POST" })).rejects.toThrow();
  });

  it("supports Symbol.asyncDispose", async () => {
    const authority = await startAuthority();
    await authority[Symbol.asyncDispose]();
    await expect(fetch(`${authority.url}/x`)).rejects.toThrow();
  });

  it("works with `await using`", async () => {
    let url: string;
    {
      await using authority = await startAuthority();
      url = authority.url;
      expect((await fetch(`${url}/x`)).status).toBe(404);
    }
    await expect(fetch(`${url}/x`)).rejects.toThrow();
  });
});
