/** Which identity a request asks for: the system-assigned one, or a user-assigned one by an id. */
export type ManagedIdentityId =
  | { readonly kind: "system" }
  | { readonly kind: "clientId" | "resourceId" | "objectId"; readonly value: string };

/** The option name of each kind, for messages. */
export const optionNameOf: Readonly<Record<ManagedIdentityId["kind"], string>> = {
  system: "(none: system-assigned)",
  clientId: "clientId",
  resourceId: "resourceId",
  objectId: "objectId",
};

/** A short, secret-free description of the identity, for messages, logs and cache keys. */
export function describeIdentity(id: ManagedIdentityId): string {
  return id.kind === "system" ? "system-assigned" : `${id.kind} ${id.value}`;
}
