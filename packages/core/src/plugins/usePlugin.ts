import type { DependencyContainer, InjectionToken } from "tsyringe";
import { activePlugins as active, rootContainer } from "../container.js";
import { loadTsyringe } from "../lazyContainer.js";
import type { PluginRegistration as Recorded } from "../coreGlobals.js";
import type { CredchainPlugin } from "./CredchainPlugin.js";
import { removeRegistration } from "./removeRegistration.js";

/**
 * Records what a plugin registers, so the undo can remove exactly that. Every registration form
 * is funnelled into `register(token, provider)` with a provider object we own.
 */
function recordingContainer(
  target: DependencyContainer,
  recorded: Recorded[],
): DependencyContainer {
  const register = (
    token: InjectionToken,
    providerOrClass: object,
    options?: object,
  ): DependencyContainer => {
    // tsyringe wraps a bare class in a new `{ useClass }` object; wrap it here so the record holds
    // the provider tsyringe actually stores, and the undo can find it.
    const provider =
      typeof providerOrClass === "function" ? { useClass: providerOrClass } : providerOrClass;
    recorded.push({ token, provider });
    (target.register as (t: InjectionToken, p: object, o?: object) => unknown)(
      token,
      provider,
      options,
    );
    return proxy;
  };
  const proxy: DependencyContainer = new Proxy(target, {
    get(object, property, receiver) {
      switch (property) {
        case "register":
          return register;
        case "registerInstance":
          return (token: InjectionToken, instance: unknown) =>
            register(token, { useValue: instance });
        case "registerSingleton":
          return (from: InjectionToken, to?: InjectionToken) => {
            const target = to ?? from;
            if (typeof target !== "function" && to === undefined) {
              throw new TypeError(
                "registerSingleton(token) needs a class: pass registerSingleton(token, SomeClass).",
              );
            }
            return register(
              from,
              typeof target === "function" ? { useClass: target } : { useToken: target },
              { lifecycle: loadTsyringe().Lifecycle.Singleton },
            );
          };
        case "registerType":
          return (from: InjectionToken, to: InjectionToken) =>
            register(from, typeof to === "function" ? { useClass: to } : { useToken: to });
        default: {
          const value: unknown = Reflect.get(object, property, receiver);
          return typeof value === "function" ? (value as () => unknown).bind(object) : value;
        }
      }
    },
  });
  return proxy;
}

/**
 * Registers a plugin into `rootContainer`, for every credential created afterwards that does not
 * get its own container. Returns a function that removes exactly what the plugin registered.
 * Registering a name that is already active is ignored (its undo does nothing), never an error:
 * two libraries in one app may both set up the same plugin.
 *
 * To scope a plugin to some credentials only, register it into a child container instead:
 * `plugin.register(child)` and pass `{ container: child }` to those credentials.
 */
export function usePlugin(plugin: CredchainPlugin): () => void {
  if (typeof plugin?.register !== "function" || typeof plugin.name !== "string") {
    throw new TypeError(
      "usePlugin expects a CredchainPlugin: an object with a string `name` and a `register(container)` method.",
    );
  }
  if (active.has(plugin.name)) return () => {};
  const recorded: Recorded[] = [];
  active.set(plugin.name, recorded);
  try {
    plugin.register(recordingContainer(rootContainer, recorded));
  } catch (error) {
    undo(plugin.name, recorded);
    throw error;
  }
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    undo(plugin.name, recorded);
  };
}

function undo(name: string, recorded: Recorded[]): void {
  for (const { token, provider } of recorded) removeRegistration(rootContainer, token, provider);
  if (active.get(name) === recorded) active.delete(name);
}
