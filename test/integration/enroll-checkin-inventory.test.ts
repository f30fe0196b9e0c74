import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHoming } from '../helpers/cli.js';
import { enrollmentToken, startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';

describe('agent processes against a real coordinator', () => {
  let t: TestCoordinator;
  let work: string;
  let caFile: string;

  beforeAll(async () => {
    t = await startTestCoordinator();
    work = await mkdtemp(join(tmpdir(), 'homing-e2e-'));
    caFile = join(work, 'ca.pem');
    await writeFile(caFile, t.caPem);
  });
  afterAll(async () => {
    await t?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('enrolls, checks in (then not-modified), reports inventory, and shows up in the API', async () => {
    const ea = await t.api('POST', '/api/v1/extension-attributes', {
      name: 'Favourite colour', script: '#!/bin/sh\necho "<result>teal</result>"\n',
    });
    expect(ea.status).toBe(201);
    const stateDir = join(work, 'agent-a');
    const token = await enrollmentToken(t);
    const enrolled = await runHoming(['agent', 'enroll', '--coordinator', t.url, '--ca-file', caFile, '--state-dir', stateDir], { HOMING_ENROLLMENT_TOKEN: token });
    expect(enrolled.stderr).toBe('');
    expect(enrolled.code).toBe(0);
    expect(enrolled.stdout).toMatch(/Enrolled as computer \d+/);
    expect(enrolled.stdout).toContain('Inventory: full report sent');
    expect(enrolled.stdout).toContain('Check-in: modified');

    const second = await runHoming(['agent', 'checkin', '--state-dir', stateDir]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Check-in: not-modified');

    const recon = await runHoming(['agent', 'recon', '--state-dir', stateDir]);
    expect(recon.code).toBe(0);
    // The enrollment check-in delivered the extension attribute, so this recon sends its result
    // (other sections may change too on a live machine, e.g. software).
    expect(recon.stdout).toMatch(/Inventory: delta \(.*extensionAttributes.*\)/);

    const state = JSON.parse(await readFile(join(stateDir, 'state.json'), 'utf8'));
    const list = await t.api('GET', '/api/v1/computers?q=' + encodeURIComponent(state.uuid));
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    const detail = await t.api('GET', `/api/v1/computers/${state.computerId}`);
    expect(detail.status).toBe(200);
    expect(detail.body.status).toBe('managed');
    expect(detail.body.inventory.network.hostname.length).toBeGreaterThan(0);
    expect(detail.body.inventory.hardware.memoryBytes).toBeGreaterThan(0);
    expect(detail.body.inventory.extensionAttributes).toEqual({ 'Favourite colour': 'teal' });
    expect(detail.body.history.map((h: { kind: string }) => h.kind)).toEqual(['inventory', 'inventory', 'enrolled']);
  });

  it('refuses a second enrollment into the same state dir without --force, and a reused token', async () => {
    const stateDir = join(work, 'agent-b');
    const token = await enrollmentToken(t);
    const first = await runHoming(['agent', 'enroll', '--coordinator', t.url, '--ca-file', caFile, '--state-dir', stateDir, '--token', token]);
    expect(first.code).toBe(0);
    const again = await runHoming(['agent', 'enroll', '--coordinator', t.url, '--ca-file', caFile, '--state-dir', stateDir, '--token', token]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already holds an enrollment');
    const reused = await runHoming(['agent', 'enroll', '--coordinator', t.url, '--ca-file', caFile, '--state-dir', join(work, 'agent-c'), '--token', token]);
    expect(reused.code).toBe(2);
    expect(reused.stderr).toContain('enrollment token is used up');
  });

  it('explains bad command lines clearly', async () => {
    const noToken = await runHoming(['agent', 'enroll', '--coordinator', t.url, '--ca-file', caFile, '--state-dir', join(work, 'x')]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('an enrollment token is required');
    const notEnrolled = await runHoming(['agent', 'checkin', '--state-dir', join(work, 'nowhere')]);
    expect(notEnrolled.code).toBe(1);
    expect(notEnrolled.stderr).toContain('not enrolled');
    const help = await runHoming(['agent', 'enroll', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--ca-fingerprint');
  });
});
