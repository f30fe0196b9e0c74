/** Summarises a V8 .cpuprofile (e.g. from `bench:checkin --cpu-prof DIR`): top functions by self and total time, and self time per package. */
import '../../shared/polyfill.js';
import { readFileSync } from 'node:fs';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** Where a frame's code lives: an npm package, a project file, node internals, or V8 itself. */
export function frameOwner(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return url;
  const project = /\/(bin|coordinator|shared|agent|node|simulations)\/(.+)$/.exec(url);
  return project ? `${project[1]}/${project[2]}` : url;
}

/** Self and inclusive microseconds per frame key, plus self per owner; samples before `afterUs` (from the profile's start) are skipped. */
export function summarise(profile: Profile, afterUs = 0): { totalUs: number; self: Map<string, number>; total: Map<string, number>; owners: Map<string, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}  ${frameOwner(n.callFrame.url, n.callFrame.functionName)}:${n.callFrame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const owners = new Map<string, number>();
  let totalUs = 0;
  let at = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    const node = byId.get(id);
    if (at < afterUs || !node || node.callFrame.functionName === '(idle)') return;
    totalUs += dt;
    self.set(key(node), (self.get(key(node)) ?? 0) + dt);
    const owner = frameOwner(node.callFrame.url, node.callFrame.functionName);
    owners.set(owner, (owners.get(owner) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur)!);
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + dt);
    }
  });
  return { totalUs, self, total, owners };
}

function top(map: Map<string, number>, totalUs: number, n: number): string {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([k, us]) => `${((us / totalUs) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`).join('\n');
}

const [file, count, after] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: tsx simulations/bench/profile-summary.ts FILE.cpuprofile [TOP_N] [SKIP_FIRST_SECONDS]\n');
  process.exitCode = 2;
} else {
  const n = Number(count ?? 30);
  const s = summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(after ?? 0) * 1e6);
  process.stdout.write(`busy (non-idle) time${after ? ` after the first ${after} s` : ''}: ${(s.totalUs / 1000).toFixed(0)} ms\n\n== self time by package/file ==\n${top(s.owners, s.totalUs, n)}\n\n== self time by function ==\n${top(s.self, s.totalUs, n)}\n\n== total (inclusive) time by function ==\n${top(s.total, s.totalUs, n)}\n`);
}
