import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { CoordinatorClient } from './coordinator-client.js';
import type { ManagementDeps } from './management/management-deps.js';
import type { PackageInstaller } from './policy/package-installer.js';
import { StateStore, type AgentState } from './state.js';

/** An enrolled agent's working set: its state, a client holding its identity, clock and logger. */
export interface AgentRuntime {
  store: StateStore;
  state: AgentState;
  client: CoordinatorClient;
  clock: Clock;
  logger: Logger;
  /** Collects inventory; injected so simulations can supply synthetic machines. */
  collect: (extensionAttributes: { name: string; script: string }[], signal?: AbortSignal) => Promise<import('../shared/schemas/inventory.js').Inventory>;
  /** Fetches and applies package payloads; without it, package items fail with "package payloads need the packages feature". */
  packages?: PackageInstaller;
  /** System tools of management payloads; default the live machine (`defaultManagementDeps`). */
  management?: ManagementDeps;
  /** Local address outgoing sockets bind to (tests emulate a building's subnet on loopback). */
  localAddress?: string;
}

/** Opens an enrolled state dir and builds a client with its device certificate. */
export async function openRuntime(stateDir: string, deps: Omit<AgentRuntime, 'store' | 'state' | 'client'> & { localAddress?: string }): Promise<AgentRuntime> {
  const store = new StateStore(stateDir);
  const state = await store.load();
  const identity = await store.loadIdentity();
  // An address given at enrollment (`--bind`) stays in force unless the caller names another.
  const localAddress = deps.localAddress ?? state.localAddress;
  const client = new CoordinatorClient(state.coordinatorUrls, identity, { localAddress });
  return { store, state, client, clock: deps.clock, logger: deps.logger, collect: deps.collect, packages: deps.packages, management: deps.management, localAddress };
}
