import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureUiBuilt } from '../helpers/browser.js';
import { startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';

describe('web UI serving', () => {
  let t: TestCoordinator;
  let agent: Agent;
  beforeAll(async () => {
    await ensureUiBuilt();
    t = await startTestCoordinator();
    agent = new Agent({ connect: { ca: t.caPem } });
  });
  afterAll(async () => { await agent?.close(); await t?.stop(); });
  const get = async (path: string) => {
    const res = await request(new URL(path, t.url), { dispatcher: agent });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  };

  it('answers client-side routes with the app shell and API misses with plain 404s', async () => {
    const shell = await get('/policies/12');
    expect(shell.status).toBe(200);
    expect(shell.text).toContain('<div id="app"></div>');
    expect(shell.headers['cache-control']).toBe('no-store');
    expect((await get('/api/v1/nope')).status).toBe(404);
    expect((await get('/device/v1/nope')).status).toBe(404);
  });

  it('serves hashed assets with long caching and nothing outside the UI folder', async () => {
    const script = /src="(\/assets\/[^"]+\.js)"/.exec((await get('/')).text)![1]!;
    const asset = await get(script);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await get('/assets/..%2f..%2f..%2fpackage.json')).status).toBe(404);
    expect((await get('/assets/%2e%2e/%2e%2e/package.json')).text).not.toContain('"dependencies"');
    expect((await get('/assets/missing.js')).status).toBe(404);
  });

  it('keeps bearer-token clients free of CSRF checks', async () => {
    const res = await t.api('POST', '/api/v1/scripts', { name: 'bearer', content: '#!/bin/sh\n' });
    expect(res.status).toBe(201);
  });
});
