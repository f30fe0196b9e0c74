import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { join } from 'node:path';
import { computerAddress, type Building } from '../processes/buildings.js';
import { homingCli } from '../processes/homing-cli.js';
import { runHoming } from '../processes/run-homing.js';

/** One demo agent: a state dir and install root of its own, bound to an address in its building. */
export interface DemoAgent { name: string; building: Building; address: string; stateDir: string; root: string }

type Spawn = (command: string, args: string[], options: SpawnOptions) => ChildProcess;

/** Plans `perBuilding` agents in each building, their dirs under `dir`. */
export function planDemoAgents(buildings: Building[], perBuilding: number, dir: string): DemoAgent[] {
  return buildings.flatMap((building) => Array.from({ length: perBuilding }, (_, k) => {
    const name = `demo-${building.name.split(' ').pop()!.toLowerCase()}-${k + 1}`;
    return { name, building, address: computerAddress(building, k), stateDir: join(dir, name, 'state'), root: join(dir, name, 'root') };
  }));
}

/** Runs one `homing agent …` command to its end; throws with its output when it fails. */
async function agentCommand(agent: DemoAgent, args: string[], spawn: Spawn, env: Record<string, string> = {}): Promise<string> {
  const r = await runHoming(['agent', ...args, '--state-dir', agent.stateDir], { env, spawn, timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`homing agent ${args[0]} (${agent.name}) exited ${r.code}:\n${r.stderr}${r.stdout}`);
  return r.stdout.trim();
}

/** `homing agent enroll --bind <address>` with the token in the environment (kept out of `ps`). */
export function enrollDemoAgent(agent: DemoAgent, o: { coordinatorUrl: string; caFile: string; token: string; spawn: Spawn }): Promise<string> {
  return agentCommand(agent, ['enroll', '--coordinator', o.coordinatorUrl, '--ca-file', o.caFile, '--root', agent.root, '--bind', agent.address, '--name', agent.name], o.spawn, { HOMING_ENROLLMENT_TOKEN: o.token });
}

/** `homing agent checkin`: one recurring check-in, running the policies it brings. */
export function checkInDemoAgent(agent: DemoAgent, spawn: Spawn): Promise<string> {
  return agentCommand(agent, ['checkin'], spawn);
}

/** Starts `homing agent daemon` for the agent (its check-in timer), logging warnings only. */
export function startDemoDaemon(agent: DemoAgent, spawn: Spawn): ChildProcess {
  const cli = homingCli();
  return spawn(cli.command, [...cli.args, 'agent', 'daemon', '--state-dir', agent.stateDir, '--startup-delay', '5'], {
    cwd: cli.cwd, env: { ...process.env, HOMING_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'pipe'],
  });
}
