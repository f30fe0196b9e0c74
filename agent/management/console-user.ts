import type { ToolRunner } from './tool-runner.js';

/** A local user a command can run as. */
export interface RunAsUser { name: string; uid: number; gid: number; home: string }

/** Parses `who` output: the users with a session, console (`:0`, `console`, `tty7`…) sessions first. */
export function parseWho(text: string): string[] {
  const sessions = text.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 2 && f[0]);
  const graphical = (line: string) => /^(console|:\d|tty[1-7])$/.test(line);
  const ordered = [...sessions.filter((f) => graphical(f[1]!)), ...sessions.filter((f) => !graphical(f[1]!))];
  return [...new Set(ordered.map((f) => f[0]!))];
}

/** Users logged in now (console first); empty when nobody is or `who` is unavailable. */
export async function loggedInUsers(run: ToolRunner, signal?: AbortSignal): Promise<string[]> {
  try {
    const r = await run('who', [], { timeoutMs: 10_000, signal });
    return r.code === 0 ? parseWho(r.output) : [];
  } catch (err) {
    if (signal?.aborted) throw err;
    return [];
  }
}

/** The uid, primary gid and home of a local account (via `id` and `getent`/`dscl`), or undefined when unknown. */
export async function lookupUser(run: ToolRunner, name: string, platform: NodeJS.Platform): Promise<RunAsUser | undefined> {
  const [uid, gid] = await Promise.all([run('id', ['-u', '--', name]), run('id', ['-g', '--', name])]);
  if (uid.code !== 0 || gid.code !== 0) return undefined;
  const home = platform === 'darwin'
    ? /NFSHomeDirectory:\s*(\S+)/.exec((await run('dscl', ['.', '-read', `/Users/${name}`, 'NFSHomeDirectory'])).output)?.[1]
    : (await run('getent', ['passwd', name])).output.split(':')[5];
  return { name, uid: Number(uid.output.trim()), gid: Number(gid.output.trim()), home: home?.trim() || '/' };
}
