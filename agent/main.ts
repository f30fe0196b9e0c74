import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { SystemClock } from '../shared/clock.js';
import { ValidationError } from '../shared/errors.js';
import { Trigger } from '../shared/schemas/policy.js';
import { EXIT, runAction, untilSignal } from '../shared/cli/run-command.js';
import { createLogger } from '../shared/logger.js';
import { checkin } from './checkin.js';
import { runDaemon } from './daemon.js';
import { enroll, fetchPinnedCa } from './enroll.js';
import { identityStatus } from './identity/identity-status.js';
import { defaultManagementDeps } from './management/management-deps.js';
import { packageReceiptStore } from './management/package-receipts.js';
import { collectInventory } from './inventory/collect.js';
import { recon } from './recon.js';
import { describePolicyRun, runTrigger } from './policy/trigger.js';
import { createAgentPackageInstaller } from './packages/create-installer.js';
import { openRuntime, type AgentRuntime } from './runtime.js';
import { runSelfService, selfServicePolicies } from './self-service.js';
import { DEFAULT_STATE_DIR } from './state.js';

/** One-shot commands print a summary and log only warnings; the daemon logs at info. */
function deps(level = process.env.HOMING_LOG_LEVEL ?? 'warn') {
  const logger = createLogger('agent', level);
  return { clock: new SystemClock(), logger, collect: (eas: { name: string; script: string }[], signal?: AbortSignal) => collectInventory({ extensionAttributes: eas, signal, logger }) };
}

/** Opens an enrolled runtime with the real package installer. */
async function openAgent(stateDir: string, level?: string): Promise<AgentRuntime> {
  const rt = await openRuntime(stateDir, deps(level));
  const packages = createAgentPackageInstaller(rt);
  rt.packages = packages;
  // Receipt verification reads the installer's receipts; repair reinstalls the package from its signed content.
  rt.management = defaultManagementDeps({ receipts: packageReceiptStore(packages, (id, signal) => packages.reinstall(id, signal)) });
  return rt;
}

/** Runs `fn` with an opened agent and always closes its connections. */
async function withAgent<T>(stateDir: string, fn: (rt: AgentRuntime) => Promise<T>, level?: string): Promise<T> {
  const rt = await openAgent(stateDir, level);
  try { return await fn(rt); } finally { await rt.client.close(); }
}

// EX_SOFTWARE: the service manager restarts the daemon (see the README's systemd unit).
const EXIT_STALLED = 70;

const stateDirOption = ['--state-dir <dir>', 'agent state directory', process.env.HOMING_STATE_DIR ?? DEFAULT_STATE_DIR] as const;

/** Checks in (or, offline, uses the held bundle) and runs one trigger's policies, printing one line each. */
async function triggerAction(trigger: string, o: { user?: string; stateDir: string }): Promise<void> {
  if (!Trigger.safeParse(trigger).success) throw new ValidationError(`invalid event name in "${trigger}": use letters, digits, ".", "_" and "-"`);
  await withAgent(o.stateDir, async (rt) => {
    const r = await runTrigger(rt, trigger, { user: o.user ?? null });
    process.stdout.write(r.checkin ? `Check-in: ${r.checkin.status}.\n` : 'Check-in: coordinator unreachable; used the bundle held.\n');
    process.stdout.write(describePolicyRun(trigger, r.policies));
  });
}

/** `homing agent …`: enrollment, check-in, inventory and the daemon. */
export function agentCommand(): Command {
  const agent = new Command('agent').description('the agent on a managed computer');

  agent.command('enroll')
    .description('enroll this computer with a one-time token')
    .requiredOption('--coordinator <urls>', 'coordinator URL(s), comma-separated, first preferred')
    .option('--ca-file <file>', 'the coordinator CA to pin (PEM, <data-dir>/ca.pem on the coordinator)')
    .option('--ca-fingerprint <sha256:hex>', 'pin the CA by fingerprint instead of a file')
    .option('--token <token>', 'enrollment token (or env HOMING_ENROLLMENT_TOKEN, which keeps it out of ps)')
    .option(...stateDirOption)
    .option('--root <dir>', 'where packages install', '/')
    .option('--name <name>', 'computer name to register (default: host name from inventory)')
    .option('--bind <addr>', 'local address for outgoing connections, kept for later commands')
    .option('--force', 'replace an existing enrollment in the state dir')
    .action((o: { coordinator: string; caFile?: string; caFingerprint?: string; token?: string; stateDir: string; root: string; name?: string; bind?: string; force?: boolean }) => runAction(async () => {
      const urls = o.coordinator.split(',').map((u) => u.trim()).filter(Boolean);
      for (const u of urls) if (!/^https:\/\//.test(u)) throw new ValidationError(`coordinator URL must start with https:// (got "${u}")`);
      const token = o.token ?? process.env.HOMING_ENROLLMENT_TOKEN;
      if (!token) throw new ValidationError('an enrollment token is required: --token or HOMING_ENROLLMENT_TOKEN');
      if (!o.caFile === !o.caFingerprint) throw new ValidationError('give exactly one of --ca-file and --ca-fingerprint');
      const caPem = o.caFile ? await readFile(o.caFile, 'utf8').catch(() => { throw new ValidationError(`cannot read --ca-file ${o.caFile}`); }) : await fetchPinnedCa(urls[0]!, o.caFingerprint!);
      const result = await enroll({ coordinatorUrls: urls, caPem, token, stateDir: o.stateDir, root: o.root, name: o.name, force: o.force, localAddress: o.bind }, deps());
      const s = result.runtime.state;
      process.stdout.write(`Enrolled as computer ${s.computerId} (${s.uuid}).\nInventory: ${result.inventory.sent} report sent.\nCheck-in: ${result.checkin.status}; next in about ${s.checkinIntervalSeconds} s at phase ${s.phaseSeconds} s.\n`);
      await result.runtime.client.close();
    }));

  agent.command('checkin')
    .description('check in once now (recurring check-in trigger)')
    .option(...stateDirOption)
    .option('--trigger <trigger>', 'trigger to report', 'checkin')
    .action((o: { stateDir: string; trigger: string }) => runAction(async () => {
      await withAgent(o.stateDir, async (rt) => {
        const r = await checkin(rt, o.trigger);
        process.stdout.write(`Check-in: ${r.status}; next in ${r.nextCheckinSeconds} s.${r.inventory ? ` Inventory: ${r.inventory.sent}.` : ''}\n`);
        process.stdout.write(describePolicyRun(o.trigger, r.policies));
      });
    }));

  agent.command('policy')
    .description('run due policies: recurring check-in ones, or those of a custom event')
    .option('--event <name>', 'run the policies of the custom event NAME (trigger custom:NAME)')
    .option('--user <user>', 'the user the policies run for ($3)')
    .option(...stateDirOption)
    .action((o: { event?: string; user?: string; stateDir: string }) => runAction(() => triggerAction(o.event === undefined ? 'checkin' : `custom:${o.event}`, o)));

  agent.command('trigger')
    .description('run the policies of a built-in trigger')
    .argument('<trigger>', 'startup, login, logout or network')
    .option('--user <user>', 'the user logging in or out ($3)')
    .option(...stateDirOption)
    .action((trigger: string, o: { user?: string; stateDir: string }) => runAction(async () => {
      if (!['startup', 'login', 'logout', 'network'].includes(trigger)) throw new ValidationError(`unknown trigger "${trigger}": use startup, login, logout or network`);
      await triggerAction(trigger, o);
    }));

  agent.command('recon')
    .description('collect inventory and send what changed (everything with --full)')
    .option(...stateDirOption)
    .option('--full', 'send a full report')
    .action((o: { stateDir: string; full?: boolean }) => runAction(async () => {
      await withAgent(o.stateDir, async (rt) => {
        const r = await recon(rt, { full: o.full });
        process.stdout.write(`Inventory: ${r.sent}${r.sections.length ? ` (${r.sections.join(', ')})` : ''}.\n`);
      });
    }));

  agent.command('daemon')
    .description('run the check-in timer loop (one instance per state dir)')
    .option(...stateDirOption)
    .option('--startup-delay <seconds>', 'random delay before the startup check-in, at most', '30')
    .action((o: { stateDir: string; startupDelay: string }) => runAction(async () => {
      await withAgent(o.stateDir, async (rt) => {
        const stop = new AbortController();
        void untilSignal().then(() => stop.abort());
        await runDaemon(rt, {
          signal: stop.signal, startupDelayMs: Number(o.startupDelay) * 1000,
          onStall: (overdueMs) => {
            rt.logger.fatal({ overdueMs }, 'daemon loop stalled; exiting so the service manager restarts it');
            process.exit(EXIT_STALLED);
          },
        });
      }, process.env.HOMING_LOG_LEVEL ?? 'info');
    }));

  agent.command('status')
    .description('show this agent\'s identity: enrolled, lost, expired or revoked (exit 0 only when enrolled and accepted)')
    .option(...stateDirOption)
    .action((o: { stateDir: string }) => runAction(async () => {
      const s = await identityStatus(o.stateDir, Date.now());
      process.stdout.write(`Identity: ${s.state} — ${s.message}\n`);
      if (s.state !== 'enrolled' && s.state !== 'unreachable') process.exitCode = EXIT.failure;
    }));

  agent.command('packages')
    .description('list installed packages (receipts)')
    .option(...stateDirOption)
    .action((o: { stateDir: string }) => runAction(async () => {
      await withAgent(o.stateDir, async (rt) => {
        const receipts = await createAgentPackageInstaller(rt).list();
        const lines = receipts.map((r) => `${r.name} ${r.version} (revision ${r.revision}, package ${r.packageId}) ${r.state} in ${r.installDir}: ${r.files.length} entries, ${r.digest}`);
        process.stdout.write(lines.length ? `${lines.join('\n')}\n` : 'No packages installed.\n');
      });
    }));

  const selfService = agent.command('self-service').description('policies users may run themselves');
  selfService.command('list')
    .description('list the Self Service policies of the bundle held')
    .option(...stateDirOption)
    .action((o: { stateDir: string }) => runAction(async () => {
      await withAgent(o.stateDir, async (rt) => {
        const names = selfServicePolicies(rt).map((p) => p.name);
        process.stdout.write(names.length ? `${names.join('\n')}\n` : 'No Self Service policies.\n');
      });
    }));
  selfService.command('run')
    .description('run a Self Service policy for the logged-in user')
    .argument('<name>', 'the policy name, as listed')
    .option('--user <user>', 'the user running it (default: the console user)')
    .option(...stateDirOption)
    .action((name: string, o: { user?: string; stateDir: string }) => runAction(async () => {
      await withAgent(o.stateDir, async (rt) => {
        process.stdout.write(describePolicyRun('self-service', await runSelfService(rt, name, o.user)));
      });
    }));

  return agent;
}
