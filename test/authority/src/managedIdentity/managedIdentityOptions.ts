import type { Fault } from "../faults.js";

/** The managed identity sources the local authority emulates. */
export type ManagedIdentitySourceKind =
  "imds" | "app-service" | "azure-arc" | "cloud-shell" | "service-fabric";

/** A managed identity the emulators issue tokens for. */
export interface EmulatedManagedIdentity {
  /** The identity's client (application) id: `appid`/`azp` of its tokens, `client_id=` in requests. */
  readonly clientId: string;
  /** Its object (principal) id: `oid`/`sub`, `object_id=` in requests. Default: derived from the client id. */
  readonly objectId?: string;
  /** Its Azure resource id: `xms_mirid`, `mi_res_id=` / `msi_res_id=` in requests. */
  readonly resourceId?: string;
}

/** `startAuthority({ managedIdentity })`: the managed identity emulators. Every field is optional. */
export interface ManagedIdentityEmulatorOptions {
  /** The resource's system-assigned identity; `false` for none. Default {@link DEMO_SYSTEM_ASSIGNED_IDENTITY}. */
  readonly systemAssigned?: EmulatedManagedIdentity | false;
  /** User-assigned identities attached to the resource. Default `[DEMO_USER_ASSIGNED_IDENTITY]`. */
  readonly userAssigned?: readonly EmulatedManagedIdentity[];
  /** The tenant of issued tokens (`tid`, `iss`). Default {@link DEMO_TENANT_ID}. */
  readonly tenantId?: string;
  /** The App Service / Service Fabric header secret (`IDENTITY_HEADER`). Default: random per authority. */
  readonly identityHeader?: string;
  /**
   * Where the Azure Arc emulator writes its challenge files. Default: a fresh temporary directory,
   * removed on `close()`. Point the credential's Arc token directory here.
   */
  readonly arcTokenDirectory?: string;
}

/**
 * A fault for the managed identity endpoints: any {@link Fault}, restricted by `source`. `clientId`
 * matches the requested user-assigned client id and `scope` the requested resource; `tenant` is
 * ignored.
 */
export type ManagedIdentityFault = Fault & { readonly source?: ManagedIdentitySourceKind };
