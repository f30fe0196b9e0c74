import { Agent, request } from 'undici';
import { createKeyAndCsr } from '../../shared/pki/csr.js';

/** A device enrolled for the bench: its identity, and the check-in request that gets not-modified. */
export interface BenchDevice {
  computerId: number;
  certPem: string;
  keyPem: string;
  /** `/device/v1/computers/<id>/checkins` */
  checkinPath: string;
  /** JSON body carrying the current etag. */
  checkinBody: string;
}

/** Enrolled devices plus the coordinator's exact not-modified answer (the baseline serves the same bytes). */
export interface EnrolledFleet { devices: BenchDevice[]; notModifiedBody: string }

/** Where the coordinator is and how to sign in as admin. */
export interface CoordinatorAccess { url: string; caPem: string; adminPassword: string }

/** POSTs JSON (or a ready body string) and returns the status and text. */
export async function postJson(agent: Agent, url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await request(url, {
    method: 'POST', dispatcher: agent,
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.statusCode, text: await res.body.text() };
}

/** The parsed JSON of a 2xx answer; throws with the status and body otherwise. */
export function expectOk(what: string, r: { status: number; text: string }): unknown {
  if (r.status < 200 || r.status >= 300) throw new Error(`${what}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  return JSON.parse(r.text) as unknown;
}

/** Checks a device in twice: the first answer gives the current etag, the second must be not-modified. */
export async function checkInTwice(base: string, caPem: string, device: Omit<BenchDevice, 'checkinBody'>): Promise<{ body: string; notModified: string }> {
  const agent = new Agent({ connect: { ca: caPem, cert: device.certPem, key: device.keyPem } });
  try {
    const url = new URL(device.checkinPath, base).toString();
    const first = expectOk('first check-in', await postJson(agent, url, { trigger: 'checkin' })) as { status: string; etag?: string };
    if (!first.etag) throw new Error(`first check-in gave no etag (status ${first.status})`);
    const body = JSON.stringify({ trigger: 'checkin', etag: first.etag });
    const second = await postJson(agent, url, body);
    const parsed = expectOk('second check-in', second) as { status: string };
    if (parsed.status !== 'not-modified') throw new Error(`second check-in with the current etag answered "${parsed.status}", expected "not-modified"`);
    return { body, notModified: second.text };
  } finally {
    await agent.close();
  }
}

/** Signs in as admin; returns the Authorization header for admin API calls. */
export async function signInAdmin(agent: Agent, coordinator: CoordinatorAccess): Promise<{ authorization: string }> {
  const { token } = expectOk('admin sign-in', await postJson(agent, new URL('/api/v1/auth/token', coordinator.url).toString(), { username: 'admin', password: coordinator.adminPassword })) as { token: string };
  return { authorization: `Bearer ${token}` };
}

/** Signs in as admin, makes one enrollment token for `count` uses, and enrolls `count` devices with fresh keys. */
export async function enrollDevices(coordinator: CoordinatorAccess, count: number): Promise<EnrolledFleet> {
  const agent = new Agent({ connect: { ca: coordinator.caPem } });
  const api = (path: string) => new URL(path, coordinator.url).toString();
  try {
    const bearer = await signInAdmin(agent, coordinator);
    const { token } = expectOk('enrollment token', await postJson(agent, api('/api/v1/enrollment-tokens'), { uses: count }, bearer)) as { token: string };
    const devices: BenchDevice[] = [];
    let notModifiedBody = '';
    for (let i = 0; i < count; i++) {
      const { keyPem, csrPem } = await createKeyAndCsr(`bench-device-${i}`);
      const enrolled = expectOk('enroll', await postJson(agent, api('/device/v1/enroll'), { token, csr: csrPem, name: `bench-${i}` })) as { computerId: number; certificate: string };
      const identity = { computerId: enrolled.computerId, certPem: enrolled.certificate, keyPem, checkinPath: `/device/v1/computers/${enrolled.computerId}/checkins` };
      const { body, notModified } = await checkInTwice(coordinator.url, coordinator.caPem, identity);
      devices.push({ ...identity, checkinBody: body });
      notModifiedBody = notModified;
    }
    return { devices, notModifiedBody };
  } finally {
    await agent.close();
  }
}
