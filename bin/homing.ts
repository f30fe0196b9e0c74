#!/usr/bin/env node
import '../shared/polyfill.js';
import type { Command } from 'commander';

/** Each role's command, loaded only when that role runs (an agent never loads coordinator code). */
const ROLES: Record<string, { summary: string; load: () => Promise<Command> }> = {
  coordinator: { summary: 'run the coordinator', load: async () => (await import('../coordinator/main.js')).coordinatorCommand() },
  node: { summary: 'run a distribution node (libp2p mesh + HTTPS for agents)', load: async () => (await import('../node/main.js')).nodeCommand() },
  agent: { summary: 'enroll this computer, check in, report inventory, run the daemon', load: async () => (await import('../agent/main.js')).agentCommand() },
  db: { summary: 'migrate or back up the coordinator database', load: async () => (await import('../coordinator/db/cli.js')).dbCommand() },
  pkg: { summary: 'build packages (Composer\'s job)', load: async () => (await import('../coordinator/pkg/cli.js')).pkgCommand() },
  sim: { summary: 'simulate check-ins or a rollout at fleet scale and write a report', load: async () => (await import('../simulations/sim-cli.js')).simCommand() },
  demo: { summary: 'start a small working fleet on this machine and show it', load: async () => (await import('../simulations/demo/demo-command.js')).demoCommand() },
};

const [role, ...rest] = process.argv.slice(2);
const entry = role ? ROLES[role] : undefined;
if (!entry) {
  const lines = Object.entries(ROLES).map(([name, r]) => `  ${name.padEnd(12)} ${r.summary}`);
  const out = role && role !== '--help' && role !== '-h' ? process.stderr : process.stdout;
  if (out === process.stderr) out.write(`homing: unknown command "${role}"\n\n`);
  out.write(`Usage: homing <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "homing <command> --help" for a command's options.\n`);
  process.exitCode = out === process.stderr || !role ? (role ? 2 : 0) : 0;
} else {
  const command = await entry.load();
  command.name(`homing ${role}`);
  await command.parseAsync(rest, { from: 'user' });
}
