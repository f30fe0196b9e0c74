import { createKeyAndCsr } from '../../shared/pki/csr.js';
import { enrollmentToken, type TestCoordinator } from './coordinator.js';

/** An enrolled device identity made through the real enrollment route. */
export interface TestDevice { computerId: number; uuid: string; cert: string; key: string }

/** Enrolls a device in-process (key + CSR + token) and returns its identity. */
export async function enrollDevice(t: TestCoordinator, token?: string): Promise<TestDevice> {
  const { keyPem, csrPem } = await createKeyAndCsr('test-device');
  const res = await t.api('POST', '/device/v1/enroll', { token: token ?? (await enrollmentToken(t)), csr: csrPem }, { token: null });
  if (res.status !== 201) throw new Error(`enroll failed: ${JSON.stringify(res.body)}`);
  return { computerId: res.body.computerId, uuid: res.body.uuid, cert: res.body.certificate, key: keyPem };
}
