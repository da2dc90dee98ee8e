import { createServer, type Server, type Socket } from "node:net";
import {
  ManualClock,
  rootContainer,
  type AccessToken,
  type TokenCredential,
} from "@credchain/core";
import { Tokens } from "@credchain/core";
import type { LocalAuthority, ManagedIdentitySourceKind } from "@credchain/local-authority";
import { ManagedIdentityCredential, type ManagedIdentityCredentialOptions } from "../src/index.js";
import { internalOptions } from "../src/internalOptions.js";

export const ARM = "https://management.azure.com/.default";
export const VAULT = "https://vault.azure.net/.default";

/** A JWT's claims, unverified: enough to see whom a token was issued to. */
export function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
}

/** A child container whose clock moves only when the test says. */
export function manualTime(): { clock: ManualClock; container: typeof rootContainer } {
  const clock = new ManualClock();
  const container = rootContainer.createChildContainer();
  container.register(Tokens.Clock, { useValue: clock });
  return { clock, container };
}

/**
 * A credential whose environment is exactly `env` (never `process.env`): the test seam, so no
 * test can reach 169.254.169.254 by forgetting a variable.
 */
export function credentialWithEnv(
  env: Record<string, string>,
  options: ManagedIdentityCredentialOptions = {},
  arcTokenDirectory?: string,
): ManagedIdentityCredential {
  return new ManagedIdentityCredential({
    ...options,
    [internalOptions]: { env, ...(arcTokenDirectory === undefined ? {} : { arcTokenDirectory }) },
  } as ManagedIdentityCredentialOptions);
}

/** A credential for `source` of the local authority's emulators. */
export async function credentialFor(
  authority: LocalAuthority,
  source: ManagedIdentitySourceKind,
  options: ManagedIdentityCredentialOptions = {},
): Promise<ManagedIdentityCredential> {
  const arc =
    source === "azure-arc" ? await authority.managedIdentity.arcTokenDirectory() : undefined;
  return credentialWithEnv(authority.managedIdentity.environment(source), options, arc);
}

/** A loopback port nothing listens on (listened on, then closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A loopback server that accepts connections and never answers. */
export async function silentServer(): Promise<{
  url: string;
  connections: () => number;
  close: () => Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server: Server = createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A chain link that always answers: shows a chain moved on. */
export const fallback: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({
    token: "fallback-token",
    expiresOnTimestamp: Date.now() + 3_600_000,
  }),
};

/** The rejection of `promise`, for assertions on its fields. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}
