import { X509Certificate } from 'node:crypto';
import { createKeyAndCsr } from '../../shared/pki/csr.js';
import type { AgentRuntime } from '../runtime.js';

/** Renew once less than this fraction of the certificate's lifetime remains. */
export const RENEW_REMAINING_FRACTION = 1 / 3;

/** True when the certificate is inside its renewal window (or already expired). */
export function needsRenewal(certPem: string, now: number): boolean {
  const cert = new X509Certificate(certPem);
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  return to - now < (to - from) * RENEW_REMAINING_FRACTION;
}

/**
 * Renews the device certificate over mTLS with a fresh key: the coordinator retires the old serial as it issues the
 * new one, so the new pair is saved (crash-safe) and the runtime's client switched to it at once.
 */
export async function renewCertificate(rt: AgentRuntime, signal?: AbortSignal): Promise<{ notAfter: string }> {
  const { keyPem, csrPem } = await createKeyAndCsr(rt.state.uuid);
  const answer = await rt.client.renewCertificate(rt.state.computerId, csrPem, signal);
  await rt.store.replaceIdentity(keyPem, answer.certificate);
  const old = rt.client;
  rt.client = old.withIdentity({ ...(await rt.store.loadIdentity()) });
  await old.close();
  rt.logger.info({ notAfter: answer.notAfter }, 'device certificate renewed');
  return { notAfter: answer.notAfter };
}

/** Renews when the certificate nears expiry; failures are logged and retried at the next cycle. Returns whether it renewed. */
export async function renewIfExpiring(rt: AgentRuntime, signal?: AbortSignal): Promise<boolean> {
  const { cert } = await rt.store.loadIdentity();
  if (!needsRenewal(cert, rt.clock.now())) return false;
  try {
    await renewCertificate(rt, signal);
    return true;
  } catch (err) {
    if (signal?.aborted) throw err;
    rt.logger.warn({ err: { code: (err as { code?: string }).code, message: (err as Error).message } }, 'certificate renewal failed; retrying next cycle');
    return false;
  }
}
