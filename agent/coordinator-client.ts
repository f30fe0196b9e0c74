import { HttpClient, type TlsIdentity } from '../shared/http-client.js';
import type { SignedManifest } from '../shared/content/manifest.js';
import type { Digest } from '../shared/digest.js';
import type { CheckinResponse } from '../shared/schemas/checkin.js';
import type { EnrollResponse } from '../shared/schemas/enrollment.js';
import type { DeviceIdentity, PasswordEscrowRequest, PasswordEscrowResponse, RenewResponse } from '../shared/schemas/management.js';
import type { InventoryReport } from '../shared/schemas/inventory.js';
import type { PolicyResult, PolicyResultsResponse } from '../shared/schemas/policy-results.js';
import type { DownloadReport } from '../shared/schemas/segment.js';

/** The agent's side of the coordinator's device routes (server: coordinator/routes/{enrollment,checkins,inventory,policy-results,management-passwords,device-identity,packages}.ts). */
export class CoordinatorClient {
  private readonly http: HttpClient;

  constructor(private readonly urls: string[], tls: TlsIdentity, private readonly opts: { localAddress?: string; timeoutMs?: number } = {}) {
    this.http = new HttpClient({ urls, ...tls, ...opts });
  }

  /** A client like this one with another identity (after certificate renewal). */
  withIdentity(tls: TlsIdentity): CoordinatorClient {
    return new CoordinatorClient(this.urls, tls, this.opts);
  }

  /** Trades an enrollment token and CSR for a device certificate. */
  enroll(token: string, csr: string, name: string | undefined, signal?: AbortSignal): Promise<EnrollResponse> {
    return this.http.json('POST', '/device/v1/enroll', { token, csr, ...(name ? { name } : {}) }, { signal });
  }

  /** Checks in, sending the etag of the bundle held. */
  checkin(computerId: number, trigger: string, etag: string | undefined, signal?: AbortSignal): Promise<CheckinResponse> {
    return this.http.json('POST', `/device/v1/computers/${computerId}/checkins`, { trigger, ...(etag ? { etag } : {}) }, { signal });
  }

  /** Sends a full inventory or the changed sections. */
  reportInventory(computerId: number, report: InventoryReport, signal?: AbortSignal): Promise<{ changed: string[] }> {
    return this.http.json('PUT', `/device/v1/computers/${computerId}/inventory`, report, { signal, timeoutMs: 120_000 });
  }

  /** Reports policy runs; the coordinator stores each idempotency key once. */
  reportPolicyResults(computerId: number, results: PolicyResult[], signal?: AbortSignal): Promise<PolicyResultsResponse> {
    return this.http.json('POST', `/device/v1/computers/${computerId}/policy-results`, { results }, { signal, timeoutMs: 60_000 });
  }

  /** Escrows a password the agent is about to set (pending until confirmed). */
  escrowPassword(computerId: number, body: PasswordEscrowRequest, signal?: AbortSignal): Promise<PasswordEscrowResponse> {
    return this.http.json('POST', `/device/v1/computers/${computerId}/management-passwords`, body, { signal });
  }

  /** Confirms the escrowed password is now set on the computer. */
  confirmPassword(computerId: number, escrowId: number, signal?: AbortSignal): Promise<void> {
    return this.http.json('POST', `/device/v1/computers/${computerId}/management-passwords/${escrowId}/confirm`, {}, { signal });
  }

  /** Trades a CSR for a renewed certificate; the current one is retired. */
  renewCertificate(computerId: number, csr: string, signal?: AbortSignal): Promise<RenewResponse> {
    return this.http.json('POST', `/device/v1/computers/${computerId}/renew`, { csr }, { signal });
  }

  /** Reports the bytes each distribution source delivered for one package (server: coordinator/routes/segments.ts). */
  reportDownload(computerId: number, report: DownloadReport, signal?: AbortSignal): Promise<void> {
    return this.http.json('POST', `/device/v1/computers/${computerId}/downloads`, report, { signal });
  }

  /** How the coordinator sees this device's identity (fails with FORBIDDEN when it is revoked or unknown). */
  identity(computerId: number, signal?: AbortSignal): Promise<DeviceIdentity> {
    return this.http.json('GET', `/device/v1/computers/${computerId}/identity`, undefined, { signal });
  }

  /** A package's signed manifest (the caller verifies it). */
  packageManifest(packageId: number, signal?: AbortSignal): Promise<SignedManifest> {
    return this.http.json('GET', `/device/v1/packages/${packageId}/manifest`, undefined, { signal });
  }

  /** A chunk's bytes from the origin (the caller verifies them), at most `maxBytes`. */
  chunk(digest: Digest, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array> {
    return this.http.bytes(`/device/v1/chunks/${digest}`, { maxBytes, signal, timeoutMs: 120_000 });
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
