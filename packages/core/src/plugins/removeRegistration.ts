import type { DependencyContainer, InjectionToken } from "tsyringe";

interface RegistrationRecord {
  provider: unknown;
}
interface RegistryInternals {
  _registry?: { getAll?(token: InjectionToken): RegistrationRecord[] | undefined };
}

/**
 * tsyringe has no public way to remove one registration, but `usePlugin` promises an undo. Its
 * registry keeps `{ provider, options }` records per token; we remove ours by provider identity.
 * Pinned tsyringe version; `usePlugin.test.ts` fails loudly if the internals ever move.
 */
export function removeRegistration(
  container: DependencyContainer,
  token: InjectionToken,
  provider: unknown,
): boolean {
  const records = (container as unknown as RegistryInternals)._registry?.getAll?.(token);
  if (records === undefined) return false;
  const index = records.findIndex((record) => record.provider === provider);
  if (index === -1) return false;
  records.splice(index, 1);
  return true;
}
