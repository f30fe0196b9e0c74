import { describe, expect, it } from 'vitest';
import { orderPayloads } from '../../../shared/policy/payload-order.js';
import { Payload } from '../../../shared/schemas/policy.js';

const NAMES: Record<number, string> = { 1: 'zoom', 2: 'Firefox', 3: 'chrome', 4: 'Office', 5: 'agent-config' };
const pkg = (packageId: number, priority?: number) => Payload.parse({ type: 'package', packageId, priority });
const script = (scriptId: number, priority: 'before' | 'after') => Payload.parse({ type: 'script', scriptId, priority });
const label = (p: Payload) => (p.type === 'package' ? `pkg:${NAMES[p.packageId]}` : p.type === 'script' ? `script:${p.scriptId}:${p.priority}` : 'inventory');

describe('orderPayloads', () => {
  it('runs before-scripts, packages by priority then name, after-scripts, inventory last', () => {
    const payloads = [
      Payload.parse({ type: 'inventory' }),
      script(1, 'after'), pkg(1), pkg(2), script(2, 'before'), pkg(3, 20), pkg(4, 1), pkg(5), script(3, 'after'), script(4, 'before'),
    ];
    expect(orderPayloads(payloads, (id) => NAMES[id]).map(label)).toEqual([
      'script:2:before', 'script:4:before',
      'pkg:Office', 'pkg:agent-config', 'pkg:Firefox', 'pkg:zoom', 'pkg:chrome',
      'script:1:after', 'script:3:after',
      'inventory',
    ]);
  });

  it('does not change its input and keeps listed order for exact ties', () => {
    const payloads = [pkg(2), Payload.parse({ type: 'package', packageId: 2, action: 'uninstall' })];
    const ordered = orderPayloads(payloads, (id) => NAMES[id]);
    expect(ordered).toEqual(payloads);
    expect(ordered).not.toBe(payloads);
  });

  it('puts management payloads after scripts: accounts, maintenance, files and processes, inventory, restart last', () => {
    const payloads = [
      { type: 'restart' }, { type: 'inventory' }, { type: 'command', command: 'true' }, { type: 'maintenance', tasks: ['inventory'] },
      { type: 'management-account', username: 'hmadmin' }, { type: 'script', scriptId: 1 }, { type: 'file', action: 'search', path: '/tmp' },
      { type: 'account', action: 'create', username: 'kiosk' },
    ].map((p) => Payload.parse(p));
    expect(orderPayloads(payloads, () => '').map((p) => p.type)).toEqual([
      'script', 'management-account', 'account', 'maintenance', 'command', 'file', 'inventory', 'restart',
    ]);
  });

  it('defaults package priority to 10 and script priority to after', () => {
    expect(pkg(1)).toMatchObject({ priority: 10, action: 'install' });
    expect(Payload.parse({ type: 'script', scriptId: 1 })).toMatchObject({ priority: 'after', parameters: [] });
  });
});
