import type { DependencyContainer } from "tsyringe";

/** A plugin: a name and a function that registers providers under `Tokens`. */
export interface CredchainPlugin {
  /** Unique per plugin kind, e.g. `"@credchain/cache-file"`. A second registration of a name is ignored. */
  readonly name: string;
  register(container: DependencyContainer): void;
}
