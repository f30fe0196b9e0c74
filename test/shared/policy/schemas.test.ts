import { describe, expect, it } from 'vitest';
import { GroupInput, GroupPatch } from '../../../shared/schemas/group.js';
import { Policy, PolicyInput, PolicyPatch } from '../../../shared/schemas/policy.js';
import { ScriptInput, ScriptPatch } from '../../../shared/schemas/script.js';

const problems = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('PolicyInput', () => {
  it('fills Jamf-like defaults', () => {
    expect(PolicyInput.parse({ name: 'Install Firefox' })).toEqual({
      name: 'Install Firefox', enabled: true, triggers: ['checkin'], frequency: 'once-per-computer',
      scope: { all: false, computers: [], groups: [], segments: [], exclusions: { computers: [], groups: [], segments: [] } },
      payloads: [], retries: 0, activeFrom: null, activeUntil: null, clientLimits: null, selfService: false,
    });
  });

  it('accepts the architecture example', () => {
    const r = PolicyInput.safeParse({
      name: 'Install Firefox', enabled: true,
      triggers: ['checkin', 'startup', 'login', 'logout', 'network', 'enrollment', 'custom:install-firefox'],
      frequency: 'once-per-computer',
      scope: { all: false, computers: [], groups: [], segments: [], exclusions: { computers: [], groups: [], segments: [] } },
      payloads: [
        { type: 'package', packageId: 1, action: 'install' },
        { type: 'script', scriptId: 2, priority: 'before', parameters: ['$4', '$5'] },
        { type: 'inventory' },
      ],
      retries: 3, activeFrom: '2026-01-01T00:00:00Z', activeUntil: null,
      clientLimits: { daysOfWeek: ['sat', 'sun'], startTime: '22:00', endTime: '06:00' },
    });
    expect(problems(r)).toEqual([]);
  });

  it.each([
    [{ triggers: ['reboot'] }, /^triggers.0: unknown trigger/],
    [{ triggers: ['custom:'] }, /unknown trigger/],
    [{ triggers: [] }, /^triggers/],
    [{ triggers: ['login', 'login'] }, /triggers must not repeat/],
    [{ frequency: 'hourly' }, /^frequency/],
    [{ retries: 11 }, /^retries/],
    [{ retries: 2, frequency: 'daily' }, /retries apply only to once-per-computer/],
    [{ activeFrom: '2026-01-01T00:00:00+02:00' }, /ISO 8601 UTC/],
    [{ activeFrom: '2026-02-01T00:00:00Z', activeUntil: '2026-01-01T00:00:00Z' }, /activeUntil must be after activeFrom/],
    [{ clientLimits: { startTime: '9:00', endTime: '17:00' } }, /HH:MM/],
    [{ clientLimits: { startTime: '09:00', endTime: '24:00' } }, /HH:MM/],
    [{ clientLimits: { startTime: '09:00' } }, /startTime and endTime go together/],
    [{ clientLimits: { startTime: '09:00', endTime: '09:00' } }, /must differ/],
    [{ clientLimits: { daysOfWeek: [] } }, /^clientLimits.daysOfWeek/],
    [{ clientLimits: { daysOfWeek: ['mon', 'mon'] } }, /days must not repeat/],
    [{ clientLimits: { daysOfWeek: ['monday'] } }, /^clientLimits.daysOfWeek/],
    [{ payloads: [{ type: 'package', packageId: 1, priority: 0 }] }, /^payloads.0.priority/],
    [{ payloads: [{ type: 'package', packageId: 1, priority: 21 }] }, /^payloads.0.priority/],
    [{ payloads: [{ type: 'script', scriptId: 1, parameters: Array(9).fill('x') }] }, /at most 8 parameters/],
    [{ payloads: [{ type: 'script', scriptId: 1, priority: 'during' }] }, /^payloads.0.priority/],
    [{ payloads: [{ type: 'inventory' }, { type: 'inventory' }] }, /at most one inventory/],
    [{ payloads: [{ type: 'reboot' }] }, /^payloads.0/],
    [{ scope: { all: true, exclusions: { computers: [0] } } }, /^scope.exclusions.computers.0/],
    [{ scope: { everyone: true } }, /^scope/],
    [{ color: 'red' }, /color/],
  ])('refuses %j', (patch, message) => {
    const found = problems(PolicyInput.safeParse({ name: 'p', ...patch }));
    expect(found.some((p) => message.test(p)), found.join('; ')).toBe(true);
  });

  it('patches do not reset omitted fields, and the stored shape carries an id', () => {
    expect(PolicyPatch.parse({ enabled: false })).toEqual({ enabled: false });
    expect(PolicyPatch.safeParse({ bogus: 1 }).success).toBe(false);
    expect(Policy.parse({ ...PolicyInput.parse({ name: 'p' }), id: 4 }).id).toBe(4);
  });
});

describe('ScriptInput', () => {
  it('needs a shebang and fills defaults', () => {
    expect(ScriptInput.parse({ name: 's', content: '#!/bin/sh\necho hi\n' })).toEqual({
      name: 's', content: '#!/bin/sh\necho hi\n', parameterLabels: [], timeoutSeconds: 3600, secretParameters: [],
    });
    expect(problems(ScriptInput.safeParse({ name: 's', content: 'echo hi' }))).toEqual([
      'content: script must start with a shebang line, e.g. #!/bin/sh',
    ]);
    expect(ScriptInput.safeParse({ name: 's', content: '#!\n' }).success).toBe(false);
  });

  it('bounds labels, timeout and secret indexes', () => {
    const base = { name: 's', content: '#!/usr/bin/env bash\n' };
    expect(ScriptInput.safeParse({ ...base, parameterLabels: Array(9).fill('x') }).success).toBe(false);
    expect(ScriptInput.safeParse({ ...base, timeoutSeconds: 0 }).success).toBe(false);
    expect(ScriptInput.safeParse({ ...base, secretParameters: [3] }).success).toBe(false);
    expect(ScriptInput.safeParse({ ...base, secretParameters: [12] }).success).toBe(false);
    expect(problems(ScriptInput.safeParse({ ...base, secretParameters: [5, 5] }))).toEqual([
      'secretParameters: secret parameter indexes must not repeat',
    ]);
    expect(ScriptInput.safeParse({ ...base, secretParameters: [4, 11], parameterLabels: ['URL'] }).success).toBe(true);
    expect(ScriptPatch.parse({ timeoutSeconds: 30 })).toEqual({ timeoutSeconds: 30 });
  });
});

describe('GroupInput', () => {
  it('parses static and smart groups with criterion defaults', () => {
    expect(GroupInput.parse({ kind: 'static', name: 'Pilot', computerIds: [1, 2] }))
      .toEqual({ kind: 'static', name: 'Pilot', computerIds: [1, 2] });
    expect(GroupInput.parse({ kind: 'smart', name: 'Macs', criteria: [{ field: 'os.platform', operator: 'is', value: 'darwin' }] }))
      .toEqual({ kind: 'smart', name: 'Macs', criteria: [{ join: 'and', open: 0, field: 'os.platform', operator: 'is', value: 'darwin', close: 0 }] });
  });

  it('refuses unknown kinds, operators, fields across kinds and negative brackets', () => {
    expect(GroupInput.safeParse({ kind: 'dynamic', name: 'x' }).success).toBe(false);
    expect(GroupInput.safeParse({ kind: 'smart', name: 'x', criteria: [{ field: 'a', operator: 'contains', value: '' }] }).success).toBe(false);
    expect(GroupInput.safeParse({ kind: 'smart', name: 'x', computerIds: [1] }).success).toBe(false);
    expect(GroupInput.safeParse({ kind: 'smart', name: 'x', criteria: [{ field: 'a', operator: 'is', open: -1 }] }).success).toBe(false);
    expect(GroupPatch.parse({ name: 'y' })).toEqual({ name: 'y' });
  });
});
