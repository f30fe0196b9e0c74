import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { browserUnavailable, screenshot } from '../helpers/browser.js';
import { joinNode, type JoinedNode } from '../helpers/node-join.js';
import { buildTestPackage, upload, workDir } from '../helpers/packages.js';
import { HOSTILE_HOSTNAME, startUiFixture, type UiFixture } from '../helpers/ui-fixture.js';
import { seededBytes } from '../shared/content/seeded-bytes.js';

const skip = browserUnavailable();
if (skip) console.warn(skip);

const MiB = 1024 * 1024;
const HEALTH = { freeBytes: 40 * 1024 * MiB, storedBytes: 300 * MiB, chunks: 320, load: 0.4, connections: 3, peers: 2, bytesServed: 900 * MiB, problems: [] };

describe.skipIf(skip)('admin web UI: packages, segments, nodes, distribution dashboard, live group count', () => {
  let f: UiFixture;
  let work: string;
  let v2File: string;
  let nodes: Record<'a' | 'b', JoinedNode>;
  let pendingNodeId: number;

  beforeAll(async () => {
    f = await startUiFixture(['ws-alpha', 'ws-beta', HOSTILE_HOSTNAME]);
    work = await workDir('homing-ui-dist-');
    // v1 goes in through the API; v2 (the same 3 MiB with 64 KiB changed) through the browser, so most chunks are shared.
    const data = seededBytes('ui-tool', 3 * MiB);
    const patched = Buffer.from(data);
    seededBytes('ui-tool-patch', 64 * 1024).copy(patched, 2 * MiB);
    let a: JoinedNode, b: JoinedNode;
    [, v2File, a, b, pendingNodeId] = await Promise.all([
      buildTestPackage(work, 'Tool', '1.0', { 'opt/tool/data.bin': { content: data } }).then((file) => upload(f.t, file)),
      buildTestPackage(work, 'Tool', '1.1', { 'opt/tool/data.bin': { content: patched }, 'opt/tool/README': { content: 'hello' } }),
      joinNode(f.t, 'node-a', '127.0.80.1', HEALTH),
      joinNode(f.t, 'node-b', '127.0.80.2', { ...HEALTH, freeBytes: 200 * MiB, problems: ['disk almost full: 200 MiB free'] }),
      f.t.api('POST', '/api/v1/nodes', { name: 'node-c' }).then((r) => r.body.id as number),
    ]);
    nodes = { a, b };
  });
  // Heartbeats keep the nodes' states what the tests expect however slowly the machine runs.
  beforeEach(async () => { await Promise.all([nodes.a.heartbeat(), nodes.b.heartbeat()]); });
  afterAll(async () => {
    await f?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('uploads a package file with a progress bar, then shows its versions, files and the dedup figures', async () => {
    const { page, context, problems } = await f.newPage();
    await f.signIn(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Packages' }).click();
    await page.getByRole('table', { name: 'Packages' }).getByRole('link', { name: 'Tool' }).waitFor();
    // Slow the upload down (DevTools network throttling) so the progress bar is seen moving.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 1536 * 1024 });
    await page.getByLabel('Package file').setInputFiles(v2File);
    await page.getByRole('button', { name: 'Upload' }).click();
    const bar = page.getByRole('progressbar', { name: 'Upload progress' });
    await expect.poll(async () => Number(await bar.getAttribute('value').catch(() => null)), { timeout: 20_000 }).toBeGreaterThan(0);
    await screenshot(page, '20-package-upload-progress');
    await page.getByText('Uploaded Tool 1.1 as revision 2').waitFor({ timeout: 30_000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    const storage = (await f.t.api('GET', '/api/v1/packages/storage')).body;
    expect(storage.packages).toBe(2);
    expect(storage.storedBytes).toBeLessThan(storage.logicalBytes);
    const table = page.getByRole('table', { name: 'Packages' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    await expect.poll(() => page.getByTestId('dedup-saved').textContent()).not.toBe('0 B');
    await screenshot(page, '21-packages');

    await table.getByRole('row', { name: /1\.1/ }).getByRole('link', { name: 'Tool' }).click();
    await page.getByRole('heading', { name: 'Tool 1.1' }).waitFor();
    const versions = page.getByRole('table', { name: 'Versions' });
    await expect.poll(() => versions.locator('tbody tr').count()).toBe(2);
    await versions.getByRole('link', { name: '1.0' }).waitFor();
    await screenshot(page, '22-package-versions');
    await page.getByRole('tab', { name: 'Files' }).click();
    await page.getByRole('table', { name: 'Files' }).getByText('opt/tool/README').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('creates a segment with an ordered node chain, reorders and ties ranks, shows its failover chain, deletes another', async () => {
    const { page, context, problems } = await f.newPage();
    await f.signIn(page);
    await page.goto('/segments');
    await page.getByRole('link', { name: 'New segment' }).click();
    await page.getByLabel('Name').fill('HQ');
    await page.getByLabel('Address range').fill('127.0.0.0/16');
    const chain = page.getByRole('group', { name: 'Nodes, primary first' });
    await chain.getByRole('button', { name: 'Add node' }).click();
    await chain.getByRole('combobox', { name: 'Node 1' }).selectOption({ label: 'node-a (healthy)' });
    await chain.getByRole('button', { name: 'Add node' }).click();
    await chain.getByRole('combobox', { name: 'Node 2' }).selectOption({ label: 'node-b (unhealthy)' });
    await screenshot(page, '23-segment-editor');
    await page.getByRole('button', { name: 'Save' }).click();
    const segments = page.getByRole('table', { name: 'Segments' });
    await segments.getByRole('cell', { name: 'node-a → node-b' }).waitFor();
    const hq = (await f.t.api('GET', '/api/v1/segments')).body.items[0];
    expect(hq).toMatchObject({ name: 'HQ', range: '127.0.0.0/16', nodeIds: [nodes.a.id, nodes.b.id] });

    await segments.getByRole('link', { name: 'HQ' }).click();
    const failover = page.getByRole('table', { name: 'Failover chain' });
    // node-b reports a problem, so devices skip it until it recovers; the page says why.
    await expect.poll(async () => (await failover.locator('tbody tr td:nth-child(2)').allTextContents()))
      .toEqual(['node-a', 'Origin (coordinator)']);
    await page.getByRole('list', { name: 'Left out' }).getByText(/node-b/).waitFor();
    await page.getByRole('button', { name: 'Move node 2 up' }).click();
    await page.getByRole('group', { name: 'Node 2' }).getByLabel('same rank as above').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await segments.getByRole('cell', { name: 'node-b = node-a' }).waitFor();
    expect((await f.t.api('GET', `/api/v1/segments/${hq.id}`)).body.nodeIds).toEqual([[nodes.b.id, nodes.a.id]]);

    await page.getByRole('link', { name: 'New segment' }).click();
    await page.getByLabel('Name').fill('Branch');
    await page.getByLabel('Address range').fill('10.9.0.0-10.9.255.255');
    await page.getByRole('button', { name: 'Add neighbour' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await segments.getByRole('link', { name: 'Branch' }).click();
    await expect.poll(async () => (await page.getByRole('table', { name: 'Failover chain' }).locator('tbody tr td:nth-child(3)').allTextContents()))
      .toEqual(['neighbour', 'origin']);
    await screenshot(page, '24-segment-chain');
    await page.getByRole('button', { name: 'Delete' }).click();
    await segments.getByRole('link', { name: 'HQ' }).waitFor();
    await expect.poll(() => segments.locator('tbody tr').count()).toBe(1);
    await screenshot(page, '25-segments');

    // A bad range is refused with the coordinator's message, nothing stored.
    await page.getByRole('link', { name: 'New segment' }).click();
    await page.getByLabel('Name').fill('Bad');
    await page.getByLabel('Address range').fill('10.0.0.1/33');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').waitFor();
    expect((await f.t.api('GET', '/api/v1/segments')).body.total).toBe(1);

    // Policies can now be scoped to segments.
    await page.goto('/policies/new');
    await page.getByLabel('Name').fill('HQ inventory');
    await page.getByRole('group', { name: 'Targets' }).getByRole('group', { name: 'Segments' }).getByLabel('HQ').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('table', { name: 'Policies' }).getByRole('cell', { name: /1 segment/ }).waitFor();
    expect((await f.t.api('GET', '/api/v1/policies')).body.items[0].scope.segments).toEqual([hq.id]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lists nodes with health, space and holdings, and charts node health and bytes by source on the dashboard', async () => {
    const hq = (await f.t.api('GET', '/api/v1/segments')).body.items.find((s: { name: string }) => s.name === 'HQ');
    const packages = (await f.t.api('GET', '/api/v1/packages')).body.items as { id: number }[];
    // The devices check in from 127.0.0.1 (now in HQ) and report where their bytes came from.
    for (const [i, d] of f.devices.entries()) {
      const tls = { cert: d.cert, key: d.key };
      expect((await f.t.api('POST', `/device/v1/computers/${d.computerId}/checkins`, {}, { token: null, tls })).status).toBe(200);
      const sources = [{ nodeId: nodes.a.id, bytes: (i + 2) * 3 * MiB }, { nodeId: null, bytes: MiB }];
      expect((await f.t.api('POST', `/device/v1/computers/${d.computerId}/downloads`, { packageId: packages[0]!.id, sources }, { token: null, tls })).status).toBe(204);
    }
    expect((await f.t.api('GET', `/api/v1/segments/${hq.id}/traffic`)).body).toMatchObject({ totalBytes: 30 * MiB, inSegmentBytes: 27 * MiB });

    const { page, context, problems } = await f.newPage();
    await f.signIn(page);
    await page.goto('/nodes');
    const table = page.getByRole('table', { name: 'Nodes' });
    const row = (name: string) => table.getByRole('row', { name: new RegExp(name) });
    await row('node-a').getByText('healthy', { exact: true }).waitFor();
    await row('node-b').getByText('unhealthy').waitFor();
    await row('node-b').getByText('disk almost full').waitFor();
    await row('node-c').getByText('pending').waitFor();
    await row('node-a').getByText('40.0 GiB').waitFor();
    await row('node-a').getByText('300.0 MiB in 320 chunks').waitFor();
    await screenshot(page, '26-nodes');
    await row('node-a').getByRole('link', { name: 'node-a' }).click();
    await page.getByLabel('Package to pin').selectOption({ label: 'Tool 1.0 (revision 1)' });
    await page.getByRole('button', { name: 'Pin', exact: true }).click();
    const holds = page.getByRole('table', { name: 'Packages it should hold' });
    await holds.getByRole('row', { name: /Tool.*pinned/ }).waitFor();
    expect((await f.t.api('GET', `/api/v1/nodes/${nodes.a.id}`)).body.pins).toEqual([packages[0]!.id]);
    await screenshot(page, '27-node-detail');
    await holds.getByRole('button', { name: 'Unpin Tool 1.0' }).click();
    await expect.poll(() => holds.locator('tbody tr td.empty').count()).toBe(1);
    expect((await f.t.api('GET', `/api/v1/nodes/${nodes.a.id}`)).body.pins).toEqual([]);
    expect((await f.t.api('GET', `/api/v1/nodes/${pendingNodeId}`)).body.status).toBe('pending');

    await page.getByRole('link', { name: 'Dashboard' }).click();
    await expect.poll(() => page.getByTestId('nodes-healthy').textContent()).toBe('1');
    await expect.poll(() => page.getByTestId('nodes-unhealthy').textContent()).toBe('1');
    await expect.poll(() => page.getByTestId('nodes-pending').textContent()).toBe('1');
    await page.getByRole('link', { name: 'node-b' }).waitFor();
    await page.getByTestId('traffic-chart').locator('canvas').waitFor();
    const bySource = page.getByRole('table', { name: 'Bytes by source per segment' });
    await expect.poll(async () => (await bySource.getByRole('row', { name: /HQ/ }).locator('td').allTextContents()))
      .toEqual(['27.0 MiB', '0 B', '0 B', '3.0 MiB', '90 %']);
    await page.getByRole('heading', { name: 'Bytes by source per segment' }).scrollIntoViewIfNeeded();
    await screenshot(page, '28-dashboard-distribution');
    await page.setViewportSize({ width: 390, height: 800 });
    await expect.poll(async () => (await page.getByTestId('traffic-chart').boundingBox())?.width ?? 999).toBeLessThan(390);
    await screenshot(page, '30-dashboard-narrow');

    // A computer's scope tab explains its segment and the chain it downloads from.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`/computers/${f.devices[0]!.computerId}`);
    await page.getByRole('tab', { name: 'Scope' }).click();
    await page.getByRole('main').getByRole('link', { name: 'HQ', exact: true }).waitFor();
    await expect.poll(async () => (await page.getByRole('table', { name: 'Failover chain' }).locator('tbody tr td:nth-child(2)').allTextContents()))
      .toEqual(['node-a', 'Origin (coordinator)']);
    await screenshot(page, '31-computer-distribution');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('counts the members of smart-group criteria live while they are edited', async () => {
    const { page, context, problems } = await f.newPage();
    await f.signIn(page);
    await page.goto('/groups/new');
    const count = page.getByTestId('preview-count');
    await expect.poll(() => count.textContent()).toBe('3');
    // Names in the preview are device-supplied: the hostile one is a link's text, never markup.
    await page.getByRole('status').getByRole('link', { name: HOSTILE_HOSTNAME }).waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await page.getByRole('button', { name: 'Add criterion' }).click();
    await page.getByLabel('Criterion 1 field').selectOption('network.hostname');
    await page.getByLabel('Criterion 1 value').fill('ws-');
    await expect.poll(() => count.textContent()).toBe('2');
    await page.getByRole('status').filter({ hasText: 'of 3 computers match now' }).getByRole('link', { name: 'ws-alpha' }).waitFor();
    await screenshot(page, '29-group-live-count');
    await page.getByLabel('Criterion 1 value').fill('alpha');
    await expect.poll(() => count.textContent()).toBe('1');
    await page.getByLabel('Criterion 1 operator').selectOption('matches regex');
    await page.getByLabel('Criterion 1 value').fill('(');
    await page.getByTestId('preview-problem').getByText(/regular expression/).waitFor();
    expect((await f.t.api('GET', '/api/v1/groups')).body.total).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
