import { HttpClient, type TlsIdentity } from '../shared/http-client.js';
import type { CheckinResponse } from '../shared/schemas/checkin.js';
import type { EnrollResponse } from '../shared/schemas/enrollment.js';
import type { InventoryReport } from '../shared/schemas/inventory.js';
import type { PolicyResult, PolicyResultsResponse } from '../shared/schemas/policy-results.js';

/** The agent's side of the coordinator's device routes (server: coordinator/routes/{enrollment,checkins,inventory,policy-results}.ts). */
export class CoordinatorClient {
  private readonly http: HttpClient;

  constructor(urls: string[], tls: TlsIdentity, opts: { localAddress?: string; timeoutMs?: number } = {}) {
    this.http = new HttpClient({ urls, ...tls, ...opts });
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

  close(): Promise<void> {
    return this.http.close();
  }
}
