import type { EmulatedManagedIdentity } from "./managedIdentityOptions.js";

/** The system-assigned identity every emulator has unless told otherwise. */
export const DEMO_SYSTEM_ASSIGNED_IDENTITY: EmulatedManagedIdentity = {
  clientId: "00000000-0000-0000-0000-0000000005a1",
  objectId: "00000000-0000-0000-0000-0000000005a2",
  resourceId:
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/credchain/providers/Microsoft.Compute/virtualMachines/credchain-vm",
};

/** The user-assigned identity every emulator has unless told otherwise. */
export const DEMO_USER_ASSIGNED_IDENTITY: EmulatedManagedIdentity = {
  clientId: "00000000-0000-0000-0000-0000000005b1",
  objectId: "00000000-0000-0000-0000-0000000005b2",
  resourceId:
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/credchain/providers/Microsoft.ManagedIdentity/userAssignedIdentities/credchain-identity",
};
