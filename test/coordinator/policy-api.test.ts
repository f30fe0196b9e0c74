import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { enrollDevice, type TestDevice } from '../helpers/device.js';
import { sampleInventory } from '../helpers/inventory.js';

const SCRIPT = { name: 'Hello', content: '#!/bin/sh\necho hello\n', secretParameters: [5] };
const fullInventory = (software: string) =>
  ({ full: true, inventory: sampleInventory('lab-01', { software: [{ name: software, version: '1', source: 'dpkg' }] }) });

describe('policies, scripts and groups API', () => {
  let t: TestCoordinator;
  let device: TestDevice;
  const asDevice = (method: string, path: string, body?: unknown) =>
    t.api(method, path, body, { token: null, tls: { cert: device.cert, key: device.key } });
  const checkin = async (etag?: string) => (await asDevice('POST', `/device/v1/computers/${device.computerId}/checkins`, etag ? { etag } : {})).body;

  beforeAll(async () => {
    t = await startTestCoordinator();
    device = await enrollDevice(t);
    expect((await asDevice('PUT', `/device/v1/computers/${device.computerId}/inventory`, fullInventory('firefox-esr'))).status).toBe(200);
  });
  afterAll(() => t?.stop());

  it('refuses bad input with a clear 4xx and stores nothing', async () => {
    const script = (await t.api('POST', '/api/v1/scripts', SCRIPT)).body;
    const bad: [string, unknown, RegExp][] = [
      ['/api/v1/policies', { name: 'p', triggers: ['reboot'] }, /unknown trigger/],
      ['/api/v1/policies', { name: 'p', frequency: 'hourly' }, /frequency/],
      ['/api/v1/policies', { name: 'p', scope: { groups: [999] } }, /groups not found: 999/],
      ['/api/v1/policies', { name: 'p', scope: { exclusions: { computers: [999] } } }, /computers not found: 999/],
      ['/api/v1/policies', { name: 'p', payloads: [{ type: 'script', scriptId: 999 }] }, /scripts not found: 999/],
      ['/api/v1/policies', { name: 'p', clientLimits: { startTime: '25:00', endTime: '06:00' } }, /HH:MM/],
      ['/api/v1/groups', { kind: 'smart', name: 'g', criteria: [{ field: 'os.release', operator: 'matches regex', value: '(' }] }, /invalid regular expression/],
      ['/api/v1/groups', { kind: 'smart', name: 'g', criteria: [{ field: 'no.such', operator: 'is', value: 'x' }] }, /unknown field/],
      ['/api/v1/groups', { kind: 'smart', name: 'g', criteria: [{ field: 'computer.group', operator: 'member of', value: '999' }] }, /missing group 999/],
      ['/api/v1/groups', { kind: 'static', name: 'g', computerIds: [999] }, /missing computers: 999/],
    ];
    for (const [path, body, message] of bad) {
      const res = await t.api('POST', path, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await t.api('GET', '/api/v1/policies')).body.total).toBe(0);
    expect((await t.api('GET', '/api/v1/groups')).body.total).toBe(0);
    expect((await t.api('DELETE', `/api/v1/scripts/${script.id}`)).status).toBe(204);
  });

  it('refuses a cycle between smart groups at save and keeps the stored group', async () => {
    const a = (await t.api('POST', '/api/v1/groups', { kind: 'smart', name: 'A', criteria: [] })).body;
    const b = (await t.api('POST', '/api/v1/groups', { kind: 'smart', name: 'B', criteria: [{ field: 'computer.group', operator: 'member of', value: String(a.id) }] })).body;
    expect(b.memberCount).toBe(1);
    const cycle = await t.api('PATCH', `/api/v1/groups/${a.id}`, { criteria: [{ field: 'computer.group', operator: 'member of', value: String(b.id) }] });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.message).toMatch(/cycle: "A" → "B" → "A"/);
    expect((await t.api('GET', `/api/v1/groups/${a.id}`)).body.criteria).toEqual([]);
    expect((await t.api('DELETE', `/api/v1/groups/${a.id}`)).status).toBe(409);
    expect((await t.api('DELETE', `/api/v1/groups/${b.id}`)).status).toBe(204);
    expect((await t.api('DELETE', `/api/v1/groups/${a.id}`)).status).toBe(204);
  });

  it('recalculates smart groups on inventory change, explains scope, lets exclusions win, and keeps check-ins cached', async () => {
    const smart = (await t.api('POST', '/api/v1/groups', { kind: 'smart', name: 'Has Firefox', criteria: [{ field: 'software.name', operator: 'like', value: 'firefox' }] })).body;
    const quarantine = (await t.api('POST', '/api/v1/groups', { kind: 'static', name: 'Quarantine', computerIds: [] })).body;
    expect(smart.memberCount).toBe(1);
    const script = (await t.api('POST', '/api/v1/scripts', SCRIPT)).body;
    const policy = (await t.api('POST', '/api/v1/policies', {
      name: 'Firefox config', scope: { groups: [smart.id], exclusions: { groups: [quarantine.id] } },
      payloads: [{ type: 'script', scriptId: script.id, parameters: ['four', 'five-secret'] }, { type: 'package', packageId: 7 }],
    })).body;
    const explain = async () => (await t.api('GET', `/api/v1/computers/${device.computerId}/explain`)).body.policies[0];
    expect(await explain()).toEqual({ id: policy.id, name: 'Firefox config', inScope: true, reason: 'targeted by group "Has Firefox"' });

    const first = await checkin();
    expect(first.status).toBe('modified');
    expect(first.bundle.policies.map((p: { id: number }) => p.id)).toEqual([policy.id]);
    // Jamf order: packages before scripts set to "after" (the default).
    const [packageItem, scriptItem] = first.bundle.policies[0].payloads;
    expect(scriptItem.script.parameters.slice(0, 3)).toEqual([
      { index: 4, value: 'four', secret: false }, { index: 5, value: 'five-secret', secret: true }, { index: 6, value: '', secret: false },
    ]);
    expect(packageItem).toEqual({ type: 'package', packageId: 7, action: 'install', priority: 10, installCheck: null });
    expect((await checkin(first.etag)).status).toBe('not-modified');

    // Admins never read a secret back: the API shows a placeholder, and sending it back keeps the value.
    const shown = (await t.api('GET', `/api/v1/policies/${policy.id}`)).body;
    expect(shown.payloads[0].parameters).toEqual(['four', { value: '********', secret: true }]);
    expect(JSON.stringify((await t.api('GET', '/api/v1/policies')).body)).not.toContain('five-secret');
    const resaved = await t.api('PUT', `/api/v1/policies/${policy.id}`, { ...shown, id: undefined, name: 'Firefox config' });
    expect(resaved.status, JSON.stringify(resaved.body)).toBe(200);
    expect(JSON.stringify(resaved.body)).not.toContain('five-secret');
    const noStored = await t.api('POST', '/api/v1/policies', { name: 'Guess', scope: { computers: [] }, payloads: [{ type: 'script', scriptId: script.id, parameters: ['x', '********'] }] });
    expect(noStored.status).toBe(400);
    const kept = await checkin();
    expect(kept.bundle.policies[0].payloads[1].script.parameters[1]).toEqual({ index: 5, value: 'five-secret', secret: true });

    // A static exclusion wins over the smart target.
    await t.api('PATCH', `/api/v1/groups/${quarantine.id}`, { computerIds: [device.computerId] });
    expect(await explain()).toMatchObject({ inScope: false, reason: 'excluded by group "Quarantine"' });
    const excluded = await checkin(first.etag);
    expect(excluded.status).toBe('modified');
    expect(excluded.bundle.policies).toEqual([]);
    await t.api('PATCH', `/api/v1/groups/${quarantine.id}`, { computerIds: [] });

    // Inventory moves the computer out of the smart group, and back in.
    await asDevice('PUT', `/device/v1/computers/${device.computerId}/inventory`, fullInventory('chromium'));
    expect((await t.api('GET', `/api/v1/groups/${smart.id}`)).body.memberCount).toBe(0);
    expect(await explain()).toMatchObject({ inScope: false, reason: 'not targeted: neither listed nor in a targeted group or segment' });
    // Same content as while excluded (no policies), so the etag still matches.
    expect((await checkin(excluded.etag)).status).toBe('not-modified');
    await asDevice('PUT', `/device/v1/computers/${device.computerId}/inventory`, fullInventory('firefox'));
    expect((await t.api('GET', `/api/v1/computers/${device.computerId}/explain`)).body.groups).toEqual([{ id: smart.id, name: 'Has Firefox' }]);
    const back = await checkin(excluded.etag);
    expect(back.bundle.policies).toHaveLength(1);

    // Results: stored once per idempotency key, secrets redacted, history in the bundle and the computer detail.
    const result = {
      idempotencyKey: 'key-0000000000000001', policyId: policy.id, trigger: 'checkin', username: null, status: 'success',
      startedAt: Date.now() - 1000, finishedAt: Date.now(),
      items: [{ index: 0, type: 'script', status: 'success', message: 'ok', exitCode: 0, output: 'got five-secret here' }],
    };
    const path = `/device/v1/computers/${device.computerId}/policy-results`;
    expect((await asDevice('POST', path, { results: [result, result] })).body).toEqual({ accepted: 1, duplicates: 1, ignored: 0 });
    expect((await asDevice('POST', path, { results: [result] })).body).toEqual({ accepted: 0, duplicates: 1, ignored: 0 });
    const logs = (await t.api('GET', `/api/v1/policies/${policy.id}/logs`)).body;
    expect(logs.total).toBe(1);
    expect(logs.items[0].items[0].output).toBe('got ******** here');
    const withHistory = await checkin(back.etag);
    expect(withHistory.bundle.policies[0].history).toEqual([{ key: result.idempotencyKey, at: result.finishedAt, status: 'success', user: null }]);
    const detail = (await t.api('GET', `/api/v1/computers/${device.computerId}`)).body;
    expect(detail.policyHistory).toMatchObject([{ policyId: policy.id, policyName: 'Firefox config', status: 'success', flushed: false }]);

    expect((await t.api('POST', `/api/v1/computers/${device.computerId}/flush-logs?policyId=${policy.id}`)).body).toEqual({ flushed: 1 });
    expect((await checkin(withHistory.etag)).bundle.policies[0].history).toEqual([]);
    expect((await t.api('DELETE', `/api/v1/scripts/${script.id}`)).status).toBe(409);
    const audit = JSON.stringify((await t.api('GET', '/api/v1/audit-log?perPage=500')).body);
    expect(audit).not.toContain('five-secret');
  });

  it('drops an activation window that has not opened from bundles', async () => {
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const p = (await t.api('POST', '/api/v1/policies', { name: 'Later', scope: { all: true }, activeFrom: future })).body;
    const answer = await checkin();
    expect(answer.bundle.policies.map((x: { id: number }) => x.id)).not.toContain(p.id);
    const explained = (await t.api('GET', `/api/v1/computers/${device.computerId}/explain`)).body.policies.find((x: { id: number }) => x.id === p.id);
    expect(explained).toMatchObject({ inScope: false, reason: `not active until ${future}` });
  });
});
