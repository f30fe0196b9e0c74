import { connect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { API_HEADERS, SECURITY_HEADERS } from '../../coordinator/http/security-headers.js';
import { startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { enrollDevice, type TestDevice } from '../helpers/device.js';

/** Device JSON routes are served without Koa: they must answer exactly as the Koa app would. */
describe('device routes served without Koa', () => {
  let t: TestCoordinator | undefined;
  afterEach(async () => { await t?.stop(); t = undefined; });

  async function setup(): Promise<TestDevice> {
    t = await startTestCoordinator();
    return enrollDevice(t);
  }

  it('answers a check-in with JSON and the API headers; admin answers carry those and the document protections', async () => {
    const device = await setup();
    const res = await t!.api('POST', `/device/v1/computers/${device.computerId}/checkins`, {}, { token: null, tls: device });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('modified');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    for (const [name, value] of Object.entries(API_HEADERS)) expect(res.headers[name.toLowerCase()]).toBe(value);
    const admin = await t!.api('GET', '/api/v1/computers');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(admin.headers[name.toLowerCase()]).toBe(value);
  });

  it('refuses a wrong method with 405 and Allow, and leaves unknown device paths to the app (404 in the error format)', async () => {
    const device = await setup();
    const wrong = await t!.api('PUT', `/device/v1/computers/${device.computerId}/checkins`, {}, { token: null, tls: device });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
    expect(wrong.body.error.code).toBe('METHOD_NOT_ALLOWED');
    const unknown = await t!.api('POST', '/device/v1/no-such-route', {}, { token: null, tls: device });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });

  it('answers validation, body and auth errors in the shared error format', async () => {
    const device = await setup();
    const path = `/device/v1/computers/${device.computerId}/checkins`;
    const unknownField = await t!.api('POST', path, { etag: 'x', extra: 1 }, { token: null, tls: device });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.code).toBe('VALIDATION_FAILED');
    const proto = await t!.api('POST', path, undefined, { token: null, tls: device, rawBody: '{"\\u005f_proto__":{"x":1}}' });
    expect(proto.status).toBe(400);
    expect(proto.body.error.code).toBe('MALFORMED_BODY');
    const large = await t!.api('POST', path, undefined, { token: null, tls: device, rawBody: JSON.stringify({ etag: 'x'.repeat(5000) }) });
    expect(large.status).toBe(413);
    const badId = await t!.api('POST', '/device/v1/computers/abc/checkins', {}, { token: null, tls: device });
    expect(badId.status).toBe(400);
    const noCert = await t!.api('POST', path, {}, { token: null });
    expect(noCert.status).toBe(401);
  });

  it('does not wait for clients that left before sending their body when the coordinator stops', async () => {
    const device = await setup();
    const { port } = new URL(t!.url);
    // Headers promising a body, part of it, then the client is gone: at once (while it is authenticated) or later (while its body is read).
    await Promise.all([0, 200].map((after) => new Promise<void>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: Number(port), ca: t!.caPem, cert: device.cert, key: device.key }, () => {
        socket.write(`POST /device/v1/computers/${device.computerId}/checkins HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 40\r\n\r\n{"etag":`);
        setTimeout(() => { socket.destroy(); resolve(); }, after);
      });
      socket.once('error', reject);
    })));
    const started = Date.now();
    await t!.stop();
    t = undefined;
    // The stop drains requests in flight for up to 10 s: an abandoned body must not hold it.
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
