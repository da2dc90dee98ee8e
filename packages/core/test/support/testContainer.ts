import type { DependencyContainer } from "tsyringe";
import {
  rootContainer,
  Tokens,
  type Clock,
  type HttpTransport,
  type Logger,
  type TokenCachePersistence,
} from "../../src/index.js";

export interface TestServices {
  clock?: Clock;
  logger?: Logger;
  transport?: HttpTransport;
  persistence?: TokenCachePersistence;
}

/** A child of `rootContainer` with the given collaborators: the override touches one credential only. */
export function testContainer(services: TestServices): DependencyContainer {
  const child = rootContainer.createChildContainer();
  if (services.clock) child.register(Tokens.Clock, { useValue: services.clock });
  if (services.logger) child.register(Tokens.Logger, { useValue: services.logger });
  if (services.transport) child.register(Tokens.HttpTransport, { useValue: services.transport });
  if (services.persistence) {
    child.register(Tokens.TokenCachePersistence, { useValue: services.persistence });
  }
  return child;
}
