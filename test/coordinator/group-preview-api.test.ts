import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { enrollDevice } from '../helpers/device.js';
import { sampleInventory } from '../helpers/inventory.js';

const like = (value: string) => ({ field: 'computer.name', operator: 'like', value });
const memberOf = (id: number) => ({ field: 'computer.group', operator: 'member of', value: String(id) });

describe('POST /api/v1/groups/preview', () => {
  let t: TestCoordinator;
  const ids: Record<string, number> = {};
  const preview = (body: unknown, token?: string) => t.api('POST', '/api/v1/groups/preview', body, token ? { token } : {});

  beforeAll(async () => {
    t = await startTestCoordinator();
    for (const name of ['lab-03', 'lab-01', 'office-01', 'lab-02']) {
      const d = await enrollDevice(t);
      const res = await t.api('PUT', `/device/v1/computers/${d.computerId}/inventory`, { full: true, inventory: sampleInventory(name) },
        { token: null, tls: { cert: d.cert, key: d.key } });
      expect(res.status).toBe(200);
      ids[name] = d.computerId;
    }
  });
  afterAll(() => t?.stop());

  it('counts the computers the criteria match now and lists the first ones by name, saving nothing', async () => {
    const res = await preview({ criteria: [like('lab-')] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ count: 3, total: 4, sample: [
      { id: ids['lab-01'], name: 'lab-01' }, { id: ids['lab-02'], name: 'lab-02' }, { id: ids['lab-03'], name: 'lab-03' },
    ] });
    expect((await preview({ criteria: [like('lab-'), { ...like('-03'), operator: 'not like' }] })).body.count).toBe(2);
    expect((await preview({ criteria: [like('lab-'), { ...like('office'), join: 'or' }] })).body.count).toBe(4);
    // No criteria: every computer, as a saved smart group would hold.
    expect((await preview({ criteria: [] })).body).toMatchObject({ count: 4, total: 4 });
    expect((await t.api('GET', '/api/v1/groups')).body.total).toBe(0);
  });

  it('reads stored memberships for "member of" and refuses a criterion that would make the edited group a cycle', async () => {
    const office = (await t.api('POST', '/api/v1/groups', { kind: 'static', name: 'Office', computerIds: [ids['office-01']] })).body;
    expect((await preview({ criteria: [memberOf(office.id)] })).body).toEqual({ count: 1, total: 4, sample: [{ id: ids['office-01'], name: 'office-01' }] });
    expect((await preview({ criteria: [{ ...memberOf(office.id), operator: 'not member of' }] })).body.count).toBe(3);

    const labs = (await t.api('POST', '/api/v1/groups', { kind: 'smart', name: 'Labs', criteria: [like('lab-')] })).body;
    const nested = (await t.api('POST', '/api/v1/groups', { kind: 'smart', name: 'Lab 1', criteria: [memberOf(labs.id), like('-01')] })).body;
    expect((await preview({ criteria: [memberOf(nested.id)] })).body.count).toBe(1);
    const cycle = await preview({ criteria: [memberOf(nested.id)], groupId: labs.id });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.message).toMatch(/cycle/);
    // The same criteria for a new group are fine.
    expect((await preview({ criteria: [memberOf(nested.id)] })).status).toBe(200);
  });

  it('refuses bad criteria, unknown groups and bad bodies with a clear 4xx', async () => {
    const bad: [unknown, number, RegExp][] = [
      [{ criteria: [{ field: 'no.such', operator: 'is', value: 'x' }] }, 400, /unknown field/],
      [{ criteria: [{ field: 'os.release', operator: 'matches regex', value: '(' }] }, 400, /invalid regular expression/],
      [{ criteria: [memberOf(999)] }, 400, /missing group 999/],
      [{ criteria: [{ ...like('x'), open: 1 }] }, 400, /bracket/],
      [{ criteria: [], extra: true }, 400, /extra|unrecognized/i],
      [{ criteria: [], groupId: 999 }, 404, /group 999/],
    ];
    for (const [body, status, message] of bad) {
      const res = await preview(body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.error.message).toMatch(message);
    }
  });

  it('answers auditors (it changes nothing) and refuses callers without credentials', async () => {
    expect((await t.api('POST', '/api/v1/users', { username: 'auditor1', password: 'auditor-password-1', role: 'auditor' })).status).toBe(201);
    const token = (await t.api('POST', '/api/v1/auth/token', { username: 'auditor1', password: 'auditor-password-1' }, { token: null })).body.token;
    expect((await preview({ criteria: [like('office')] }, token)).body.count).toBe(1);
    expect((await t.api('POST', '/api/v1/groups/preview', { criteria: [] }, { token: null })).status).toBe(401);
    const audit = (await t.api('GET', '/api/v1/audit-log')).body.items as { action: string }[];
    expect(audit.some((a) => JSON.stringify(a).includes('/groups/preview'))).toBe(false);
  });
});
