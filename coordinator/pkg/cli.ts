import cliProgress from 'cli-progress';
import { Command, Option, type CommanderError } from 'commander';
import { EXIT, runAction, untilSignal } from '../../shared/cli/run-command.js';
import type { PathOverride } from '../../shared/content/deterministic-tar.js';
import type { Manifest } from '../../shared/content/manifest.js';
import { ValidationError } from '../../shared/errors.js';
import { buildPackage, type BuildProgress } from './build.js';
import { snapshotFinish, snapshotStart, type SnapshotReport } from './snapshot.js';
import { uploadCommand } from './upload-command.js';

interface BuildFlags {
  name: string;
  version: string;
  preinstall?: string;
  postinstall?: string;
  targetPrefix?: string;
  owner?: string[];
  mode?: string[];
  output: string;
  json?: boolean;
}

/** `homing pkg build|snapshot|upload`: Composer's job (build a package from a tree or from a before/after snapshot) and upload. */
export function pkgCommand(): Command {
  const snapshot = new Command('snapshot')
    .description('package what an installation changes: "start" records a tree, "finish" packages new and changed entries')
    .addCommand(new Command('start')
      .description('record every path, type, mode, size and file digest under --root')
      .requiredOption('--root <dir>', 'directory to watch (e.g. /Applications or /usr/local)')
      .requiredOption('--state <file>', 'where to keep the recorded tree')
      .option('--exclude <path>', 'root-relative path to ignore (repeatable)', collect)
      .action((o: { root: string; state: string; exclude?: string[] }) => runAction(async () => {
        const count = await withAbort((signal) => snapshotStart({ root: o.root, stateFile: o.state, exclude: o.exclude, signal }));
        process.stdout.write(`Recorded ${count} entries under ${o.root} in ${o.state}. Install the software, then run "homing pkg snapshot finish".\n`);
      })))
    .addCommand(buildOptions(new Command('finish')
      .description('rescan --root and package what is new or changed since "start" (deleted paths are reported, not packaged)')
      .requiredOption('--root <dir>', 'the directory given to "snapshot start"')
      .requiredOption('--state <file>', 'the state file written by "snapshot start"'), 'default: the root')
      .action((o: BuildFlags & { root: string; state: string }) => runAction(async () => {
        const report = await withProgress((onProgress, signal) => snapshotFinish({
          ...buildInputs(o), root: o.root, stateFile: o.state, onProgress, signal,
        }));
        const { manifest, ...changes } = report;
        if (o.json) return printJson(manifest, o.output, changes);
        printSummary(manifest, o.output);
        for (const [label, paths] of [['added', report.added], ['changed', report.changed], ['deleted (not packaged)', report.deleted]] as const) {
          process.stdout.write(`${label}: ${paths.length}\n${paths.map((p) => `  ${p}\n`).join('')}`);
        }
        for (const s of report.skipped) process.stdout.write(`skipped ${s.path}: ${s.reason}\n`);
      })));

  const pkg = new Command('pkg')
    .description('build and upload packages')
    .addCommand(buildOptions(new Command('build')
      .description('pack SRC_DIR into one package file (deterministic: the same tree gives the same bytes and digest)')
      .argument('<SRC_DIR>', 'directory whose contents install under --target-prefix'), 'default: /')
      .action((srcDir: string, o: BuildFlags) => runAction(async () => {
        const manifest = await withProgress((onProgress, signal) => buildPackage({ ...buildInputs(o), srcDir, onProgress, signal }));
        if (o.json) printJson(manifest, o.output);
        else printSummary(manifest, o.output);
      })))
    .addCommand(snapshot)
    .addCommand(uploadCommand())
    .addHelpText('after', `
Examples:
  homing pkg build ./payload --name Firefox --version 128.0 --target-prefix /Applications -o firefox.hpkg
  homing pkg snapshot start --root /usr/local --state /tmp/tool.snap
  (install the software)
  homing pkg snapshot finish --root /usr/local --state /tmp/tool.snap --name Tool --version 2.0 -o tool.hpkg`);
  exitWithUsageCode(pkg);
  return pkg;
}

function buildOptions(command: Command, prefixDefault: string): Command {
  return command
    .requiredOption('--name <name>', 'package name, e.g. "Firefox"')
    .requiredOption('--version <version>', 'package version, e.g. 1.2.3')
    .option('--preinstall <file>', 'script run before the files are moved into place')
    .option('--postinstall <file>', 'script run after the files are in place')
    .option('--target-prefix <dir>', `absolute directory the files install under (${prefixDefault})`)
    .option('--owner <path=uid:gid[:user:group]>', 'owner of one packaged path (repeatable; default 0:0)', collect)
    .option('--mode <path=octal>', 'mode of one packaged path, e.g. bin/tool=4755 (repeatable; setuid/setgid only this way)', collect)
    .addOption(new Option('-o, --output <file>', 'package file to write').makeOptionMandatory())
    .option('--json', 'print the result as JSON');
}

function buildInputs(o: BuildFlags) {
  return {
    name: o.name, version: o.version, preinstallFile: o.preinstall, postinstallFile: o.postinstall,
    targetPrefix: o.targetPrefix, overrides: parseOverrides(o.owner ?? [], o.mode ?? []), outFile: o.output,
  };
}

/** Parses repeated `--owner path=uid:gid[:user:group]` and `--mode path=octal` flags into per-path overrides. */
export function parseOverrides(owners: readonly string[], modes: readonly string[]): Record<string, PathOverride> {
  const out: Record<string, PathOverride> = {};
  const split = (flag: string, value: string) => {
    const at = value.lastIndexOf('=');
    if (at <= 0) throw new ValidationError(`${flag} expects PATH=VALUE, got "${value}"`);
    return [value.slice(0, at).replace(/^\.\//, ''), value.slice(at + 1)] as const;
  };
  for (const value of owners) {
    const [path, spec] = split('--owner', value);
    const m = /^(\d+):(\d+)(?::([^:]+):([^:]+))?$/.exec(spec);
    if (!m) throw new ValidationError(`--owner expects PATH=UID:GID[:USER:GROUP], got "${value}"`);
    out[path] = { ...out[path], uid: Number(m[1]), gid: Number(m[2]), ...(m[3] ? { uname: m[3], gname: m[4] } : {}) };
  }
  for (const value of modes) {
    const [path, spec] = split('--mode', value);
    if (!/^[0-7]{1,4}$/.test(spec)) throw new ValidationError(`--mode expects PATH=OCTAL (e.g. 0755), got "${value}"`);
    out[path] = { ...out[path], mode: parseInt(spec, 8) };
  }
  return out;
}

// No commander default for repeatable flags: it would print "(default: [])" in --help.
function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

async function withAbort<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  void untilSignal().then((sig) => abort.abort(new ValidationError(`interrupted by ${sig}`)));
  return run(abort.signal);
}

// A bar only on a terminal: redirected stderr (CI logs) should not fill with redraws.
async function withProgress<T>(run: (onProgress: (p: BuildProgress) => void, signal: AbortSignal) => Promise<T>): Promise<T> {
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar({ stream: process.stderr, format: 'build {bar} {percentage}% {value}/{total} bytes', hideCursor: true }, cliProgress.Presets.shades_classic)
    : undefined;
  let started = false;
  const onProgress = (p: BuildProgress) => {
    if (!bar) return;
    if (!started) bar.start(p.totalBytes, 0);
    started = true;
    bar.setTotal(p.totalBytes);
    bar.update(p.bytes);
  };
  try {
    return await withAbort((signal) => run(onProgress, signal));
  } finally {
    if (started) bar?.stop();
  }
}

function printSummary(m: Manifest, file: string): void {
  process.stdout.write([
    `Built ${m.name} ${m.version} -> ${file}`,
    `  payload  ${m.payload.digest}`,
    `  size     ${m.payload.size} bytes`,
    `  chunks   ${m.chunks.length}`,
    `  files    ${m.files.length}`,
    '',
  ].join('\n'));
}

function printJson(m: Manifest, file: string, changes?: Omit<SnapshotReport, 'manifest'>): void {
  const summary = { name: m.name, version: m.version, digest: m.payload.digest, size: m.payload.size, chunks: m.chunks.length, files: m.files.length, file };
  process.stdout.write(`${JSON.stringify({ ...summary, ...changes }, null, 2)}\n`);
}

// Commander exits 1 on a usage error; Homing's contract is 2 for bad input.
function exitWithUsageCode(command: Command): void {
  command.exitOverride((err: CommanderError) => process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage));
  command.commands.forEach(exitWithUsageCode);
}
