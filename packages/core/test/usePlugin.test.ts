import type { DependencyContainer } from "tsyringe";
import { afterEach, describe, expect, it } from "vitest";
import {
  ManualClock,
  rootContainer,
  Tokens,
  usePlugin,
  type Clock,
  type CredchainPlugin,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
} from "../src/index.js";
import { removeRegistration } from "../src/plugins/removeRegistration.js";
import { startTestServer } from "./support/testServer.js";
import { TestCredential } from "./support/TestCredential.js";

const clockAt = (ms: number): Clock => ({ now: () => ms });

function plugin(name: string, register: (container: DependencyContainer) => void): CredchainPlugin {
  return { name, register };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});
/** usePlugin, undone after the test whatever happens. */
function use(p: CredchainPlugin): () => void {
  const undo = usePlugin(p);
  cleanups.push(undo);
  return undo;
}

describe("usePlugin", () => {
  it("registers into rootContainer", () => {
    const clock = clockAt(1);
    use(plugin("clock", (c) => c.register(Tokens.Clock, { useValue: clock })));
    expect(rootContainer.resolve(Tokens.Clock)).toBe(clock);
  });

  it("undo removes exactly the plugin's registrations, uncovering earlier ones", () => {
    const base = clockAt(0);
    const baseProvider = { useValue: base };
    rootContainer.register(Tokens.Clock, baseProvider);
    cleanups.push(() => removeRegistration(rootContainer, Tokens.Clock, baseProvider));

    const first = clockAt(1);
    const second = clockAt(2);
    const undoFirst = use(plugin("first", (c) => c.registerInstance(Tokens.Clock, first)));
    const undoSecond = use(plugin("second", (c) => c.registerInstance(Tokens.Clock, second)));
    expect(rootContainer.resolve(Tokens.Clock)).toBe(second);

    undoSecond();
    expect(rootContainer.resolve(Tokens.Clock)).toBe(first);
    undoFirst();
    expect(rootContainer.resolve(Tokens.Clock)).toBe(base);
  });

  it("undoes an earlier plugin without touching a later one", () => {
    const first = clockAt(1);
    const second = clockAt(2);
    const undoFirst = use(plugin("first", (c) => c.registerInstance(Tokens.Clock, first)));
    use(plugin("second", (c) => c.registerInstance(Tokens.Clock, second)));
    undoFirst();
    expect(rootContainer.resolve(Tokens.Clock)).toBe(second);
  });

  it("undoes every registration form tsyringe offers", () => {
    class ClassClock implements Clock {
      now(): number {
        return 42;
      }
    }
    const tokens = {
      value: Symbol("value"),
      instance: Symbol("instance"),
      factory: Symbol("factory"),
      useClass: Symbol("useClass"),
      constructorForm: Symbol("constructorForm"),
      singleton: Symbol("singleton"),
      type: Symbol("type"),
      chained: Symbol("chained"),
    };
    const undo = use(
      plugin("every-form", (c) => {
        c.register(tokens.value, { useValue: 1 });
        c.registerInstance(tokens.instance, 2);
        c.register(tokens.factory, { useFactory: () => 3 });
        c.register(tokens.useClass, { useClass: ClassClock });
        c.register(tokens.constructorForm, ClassClock);
        c.registerSingleton(tokens.singleton, ClassClock);
        c.registerType(tokens.type, ClassClock);
        c.registerInstance(tokens.chained, "a").registerInstance(tokens.chained, "b");
      }),
    );
    expect(rootContainer.resolve(tokens.constructorForm)).toBeInstanceOf(ClassClock);
    expect(rootContainer.resolve<Clock>(tokens.singleton).now()).toBe(42);
    expect(rootContainer.resolve(tokens.chained)).toBe("b");
    undo();
    for (const [form, token] of Object.entries(tokens)) {
      expect({ form, registered: rootContainer.isRegistered(token, true) }).toEqual({
        form,
        registered: false,
      });
    }
  });

  it("refuses registerSingleton(token) without a class, as tsyringe does, leaving nothing behind", () => {
    const token = Symbol("no-class");
    // tsyringe's types forbid this call; plain JavaScript plugins can still make it.
    const registerSingleton = (c: DependencyContainer) =>
      (c.registerSingleton as unknown as (from: symbol) => unknown).call(c, token);
    expect(() => use(plugin("bad-singleton", registerSingleton))).toThrow(/needs a class/);
    expect(rootContainer.isRegistered(token, true)).toBe(false);
  });

  it("ignores a second plugin with an active name: no throw, and its undo does nothing", () => {
    const first = clockAt(1);
    let secondRegistered = false;
    const undoFirst = use(plugin("same", (c) => c.registerInstance(Tokens.Clock, first)));
    const undoDuplicate = usePlugin(
      plugin("same", (c) => {
        secondRegistered = true;
        c.registerInstance(Tokens.Clock, clockAt(2));
      }),
    );
    expect(secondRegistered).toBe(false);
    undoDuplicate();
    expect(rootContainer.resolve(Tokens.Clock)).toBe(first);

    undoFirst();
    // The name is free again once undone.
    const again = clockAt(3);
    use(plugin("same", (c) => c.registerInstance(Tokens.Clock, again)));
    expect(rootContainer.resolve(Tokens.Clock)).toBe(again);
    // A stale undo must not remove the new registration under the same name.
    undoFirst();
    expect(rootContainer.resolve(Tokens.Clock)).toBe(again);
  });

  it("rejects anything that is not a plugin with a TypeError", () => {
    const invalid: unknown[] = [
      undefined,
      null,
      {},
      { name: "no-register" },
      { register: () => {} },
      { name: 1, register: () => {} },
      { name: "x", register: "not a function" },
    ];
    for (const candidate of invalid) {
      expect(() => usePlugin(candidate as CredchainPlugin)).toThrow(TypeError);
    }
  });

  it("leaves nothing behind when register throws, and rethrows its error", () => {
    const failure = new Error("plugin broke half-way");
    const token = Symbol("half-way");
    expect(() =>
      usePlugin(
        plugin("broken", (c) => {
          c.registerInstance(token, "registered before the failure");
          c.registerInstance(Tokens.Logger, console);
          throw failure;
        }),
      ),
    ).toThrow(failure);
    expect(rootContainer.isRegistered(token, true)).toBe(false);
    expect(rootContainer.isRegistered(Tokens.Logger, true)).toBe(false);
    // The name was not kept either.
    const value = clockAt(7);
    use(plugin("broken", (c) => c.registerInstance(Tokens.Clock, value)));
    expect(rootContainer.resolve(Tokens.Clock)).toBe(value);
  });

  // Guards removeRegistration's use of tsyringe internals: if tsyringe moves them, this fails.
  it("relies on tsyringe internals that are still where removeRegistration expects them", () => {
    const token = Symbol("internals");
    const provider = { useValue: "x" };
    rootContainer.register(token, provider);
    expect(removeRegistration(rootContainer, token, { useValue: "x" })).toBe(false);
    expect(removeRegistration(rootContainer, token, provider)).toBe(true);
    expect(rootContainer.isRegistered(token)).toBe(false);
    expect(removeRegistration(rootContainer, token, provider)).toBe(false);
  });
});

describe("child container overrides", () => {
  it("affect only the credential given that container", async () => {
    const server = await startTestServer();
    try {
      const clock = new ManualClock(Date.now());
      const sent: HttpRequest[] = [];
      const transport: HttpTransport = {
        async send(request): Promise<HttpResponse> {
          sent.push(request);
          const body = { access_token: `child-${sent.length}`, expires_in: 3600 };
          return { status: 200, headers: {}, body: JSON.stringify(body) };
        },
      };
      const child = rootContainer.createChildContainer();
      child.register(Tokens.Clock, { useValue: clock });
      child.register(Tokens.HttpTransport, { useValue: transport });

      const scoped = new TestCredential({ container: child, authorityHost: server.url });
      const plain = new TestCredential({ authorityHost: server.url });

      expect((await scoped.getToken("scope")).token).toBe("child-1");
      expect(sent).toHaveLength(1);
      expect(server.count).toBe(0);
      expect((await plain.getToken("scope")).token).toBe("token-0");
      expect(server.count).toBe(1);

      // Only the scoped credential lives on the manual clock: an hour later its token is gone.
      clock.advance(3600 * 1000);
      expect((await scoped.getToken("scope")).token).toBe("child-2");
      expect((await plain.getToken("scope")).token).toBe("token-0");
      expect(server.count).toBe(1);
      expect(rootContainer.isRegistered(Tokens.Clock, true)).toBe(false);
      expect(rootContainer.isRegistered(Tokens.HttpTransport, true)).toBe(false);
      await Promise.all([scoped.close(), plain.close()]);
    } finally {
      await server.close();
    }
  });
});
