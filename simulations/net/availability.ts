import { run } from './ip-command.js';

/** Whether this process can build network namespaces with veth pairs and `tc tbf` caps, and if not, why. */
export interface NamespaceSupport { available: boolean; reason: string }

let cached: NamespaceSupport | undefined;

/** Probes once: root, `ip` and `tc` present, and a throwaway namespace can be created and deleted. */
export function namespaceSupport(): NamespaceSupport {
  cached ??= probe();
  return cached;
}

function probe(): NamespaceSupport {
  if (process.platform !== 'linux') return { available: false, reason: 'network namespaces need Linux' };
  if (process.getuid?.() !== 0) return { available: false, reason: 'network namespaces need root' };
  const name = `homing-probe-${process.pid}`;
  try {
    run('tc', ['-V']);
    run('ip', ['netns', 'add', name]);
    run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    return { available: true, reason: 'network namespaces with veth pairs and tc tbf' };
  } catch (err) {
    return { available: false, reason: `network namespaces unavailable: ${(err as Error).message}` };
  } finally {
    try { run('ip', ['netns', 'del', name]); } catch { /* never created */ }
  }
}
