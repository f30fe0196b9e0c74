import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority, createCertificateAuthority } from '../../coordinator/pki/certificate-authority.js';
import { ManualClock } from '../../shared/clock.js';
import { createKeyAndCsr } from '../../shared/pki/csr.js';
import { enrollmentToken, startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { enrollDevice, type TestDevice } from '../helpers/device.js';

describe('enrollment and device authentication', () => {
  const clock = new ManualClock(Date.now());
  let t: TestCoordinator;
  let a: TestDevice;
  let b: TestDevice;

  beforeAll(async () => {
    t = await startTestCoordinator({ clock });
    a = await enrollDevice(t);
    b = await enrollDevice(t);
  });
  afterAll(() => t?.stop());

  const count = async () => (await t.api('GET', '/api/v1/computers')).body.total as number;

  it('refuses forged, reused and expired tokens with a clear 403 and creates nothing', async () => {
    const { csrPem } = await createKeyAndCsr('x');
    const before = await count();
    const forged = await t.api('POST', '/device/v1/enroll', { token: 'hom_forgedforgedforgedforgedforged', csr: csrPem }, { token: null });
    expect(forged.status).toBe(403);
    expect(forged.body.error).toEqual({ code: 'INVALID_TOKEN', message: 'enrollment token is not known to this coordinator' });

    const once = await enrollmentToken(t, 1);
    expect((await t.api('POST', '/device/v1/enroll', { token: once, csr: csrPem }, { token: null })).status).toBe(201);
    const reused = await t.api('POST', '/device/v1/enroll', { token: once, csr: csrPem }, { token: null });
    expect(reused.status).toBe(403);
    expect(reused.body.error.message).toBe('enrollment token is used up');

    const short = await enrollmentToken(t, 5, 60);
    await clock.advance(61_000);
    const expired = await t.api('POST', '/device/v1/enroll', { token: short, csr: csrPem }, { token: null });
    expect(expired.status).toBe(403);
    expect(expired.body.error.message).toBe('enrollment token has expired');
    expect(await count()).toBe(before + 1);
  });

  it('issues exactly one certificate for 100 parallel uses of a one-use token', async () => {
    const token = await enrollmentToken(t, 1);
    const { csrPem } = await createKeyAndCsr('race');
    const before = await count();
    const results = await Promise.all(Array.from({ length: 100 }, () => t.api('POST', '/device/v1/enroll', { token, csr: csrPem }, { token: null })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 403)).toHaveLength(99);
    expect(await count()).toBe(before + 1);
  });

  it('refuses a CSR that is not a CSR', async () => {
    const res = await t.api('POST', '/device/v1/enroll', { token: await enrollmentToken(t), csr: 'x'.repeat(200) }, { token: null });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('csr is not a PEM certificate signing request');
  });

  it('demands a client certificate from this CA on device routes', async () => {
    const path = `/device/v1/computers/${a.computerId}/checkins`;
    const none = await t.api('POST', path, { trigger: 'checkin' }, { token: null });
    expect(none.status).toBe(401);
    // A second anonymous request resumes the TLS session, which Node reports as "authorized" without a certificate.
    expect((await t.api("POST", path, { trigger: "checkin" }, { token: null })).status).toBe(401);
    const foreign = new CertificateAuthority(createCertificateAuthority('Evil CA'));
    const { keyPem, csrPem } = await createKeyAndCsr('evil');
    const evil = await foreign.signCsr(csrPem, a.uuid, 'device');
    const other = await t.api('POST', path, { trigger: 'checkin' }, { token: null, tls: { cert: evil.certPem, key: keyPem } }).catch((e: Error) => ({ status: 0, error: e }));
    expect([0, 401]).toContain(other.status);
    const ok = await t.api('POST', path, { trigger: 'checkin' }, { token: null, tls: a });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('modified');
  });

  it('lets a device touch only its own record', async () => {
    const res = await t.api('POST', `/device/v1/computers/${b.computerId}/checkins`, { trigger: 'checkin' }, { token: null, tls: a });
    expect(res.status).toBe(403);
    const read = await t.api('GET', `/device/v1/computers/${b.computerId}`, undefined, { token: null, tls: a });
    expect(read.status).toBe(403);
    const own = await t.api('GET', `/device/v1/computers/${a.computerId}`, undefined, { token: null, tls: a });
    expect(own.body.uuid).toBe(a.uuid);
    const admin = await t.api('GET', `/api/v1/computers/${b.computerId}`, undefined, { token: null, tls: a });
    expect(admin.status).toBe(401);
  });

  it('refuses a revoked certificate after the computer is unmanaged', async () => {
    const c = await enrollDevice(t);
    const path = `/device/v1/computers/${c.computerId}/checkins`;
    expect((await t.api('POST', path, { trigger: 'checkin' }, { token: null, tls: c })).status).toBe(200);
    expect((await t.api('DELETE', `/api/v1/computers/${c.computerId}`)).status).toBe(204);
    const after = await t.api('POST', path, { trigger: 'checkin' }, { token: null, tls: c });
    expect(after.status).toBe(403);
    expect(after.body.error.message).toBe('certificate is revoked or unknown');
    const detail = await t.api('GET', `/api/v1/computers/${c.computerId}`);
    expect(detail.body.status).toBe('unmanaged');
    expect(detail.body.history[0].kind).toBe('unmanaged');
  });
});
