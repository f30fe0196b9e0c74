import { HttpClient } from '../shared/http-client.js';
import type { DesiredPackage, MeshPeer, NodeHeartbeat, NodeJoinRequest, NodeJoinResponse, NodeStatus } from '../shared/schemas/nodes.js';

/** The node's side of `coordinator/routes/nodes.ts`: join, heartbeat, peers, desired content, device certificate checks. */
export class NodeCoordinatorClient {
  constructor(private readonly http: HttpClient) {}

  /** Joins with a one-time token (no client certificate yet). */
  static async join(urls: string[], caPem: string, request: NodeJoinRequest, signal?: AbortSignal): Promise<NodeJoinResponse> {
    const http = new HttpClient({ urls, ca: caPem });
    try {
      return await http.json<NodeJoinResponse>('POST', '/node/v1/join', request, { signal });
    } finally {
      await http.close();
    }
  }

  heartbeat(body: NodeHeartbeat, signal?: AbortSignal): Promise<{ status: NodeStatus; heartbeatSeconds: number }> {
    return this.http.json('POST', '/node/v1/heartbeat', body, { signal });
  }

  async peers(signal?: AbortSignal): Promise<MeshPeer[]> {
    return (await this.http.json<{ items: MeshPeer[] }>('GET', '/node/v1/peers', undefined, { signal })).items;
  }

  async desired(signal?: AbortSignal): Promise<DesiredPackage[]> {
    return (await this.http.json<{ items: DesiredPackage[] }>('GET', '/node/v1/desired', undefined, { signal })).items;
  }

  async deviceActive(uuid: string, serial: string, signal?: AbortSignal): Promise<boolean> {
    const path = `/node/v1/devices/${encodeURIComponent(uuid)}/certificates/${encodeURIComponent(serial)}`;
    return (await this.http.json<{ active: boolean }>('GET', path, undefined, { signal, timeoutMs: 10_000 })).active;
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
