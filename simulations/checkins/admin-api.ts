import { Agent, request } from 'undici';
import { expectOk, postJson, signInAdmin, type CoordinatorAccess } from '../bench/devices.js';

/** The few admin calls a simulation makes: enrollment tokens, a policy, counting stored results, checking a kept fleet, and metrics. */
export class AdminApi {
  private constructor(private readonly agent: Agent, private readonly base: string, private readonly bearer: { authorization: string }) {}

  /** Signs in as admin. */
  static async open(coordinator: CoordinatorAccess): Promise<AdminApi> {
    const agent = new Agent({ connect: { ca: coordinator.caPem } });
    try {
      return new AdminApi(agent, coordinator.url, await signInAdmin(agent, coordinator));
    } catch (err) {
      await agent.close();
      throw err;
    }
  }

  private url(path: string): string { return new URL(path, this.base).toString(); }

  /** A token for `uses` enrollments (at most 100,000 per token). */
  async enrollmentToken(uses: number): Promise<string> {
    const res = expectOk('enrollment token', await postJson(this.agent, this.url('/api/v1/enrollment-tokens'), { uses, expiresInSeconds: 86_400 }, this.bearer));
    return (res as { token: string }).token;
  }

  /** Creates a policy; returns its id. */
  async createPolicy(policy: Record<string, unknown>): Promise<number> {
    return (expectOk('create policy', await postJson(this.agent, this.url('/api/v1/policies'), policy, this.bearer)) as { id: number }).id;
  }

  /** How many run results the coordinator has stored for a policy. */
  async policyLogTotal(policyId: number): Promise<number> {
    return (await this.get(`/api/v1/policies/${policyId}/logs?perPage=1`, 'policy logs') as { total: number }).total;
  }

  /** Managed computers the coordinator holds. */
  async managedComputers(): Promise<number> {
    return (await this.get('/api/v1/computers?status=managed&perPage=1', 'computers') as { total: number }).total;
  }

  /** One computer's UUID and status. */
  async computer(id: number): Promise<{ uuid: string; status: string }> {
    return await this.get(`/api/v1/computers/${id}`, `computer ${id}`) as { uuid: string; status: string };
  }

  /** The coordinator's Prometheus metrics as text. */
  async metricsText(): Promise<string> {
    const res = await request(this.url('/metrics'), { dispatcher: this.agent, headers: this.bearer });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`metrics: HTTP ${res.statusCode} ${text.slice(0, 200)}`);
    return text;
  }

  private async get(path: string, what: string): Promise<unknown> {
    const res = await request(this.url(path), { dispatcher: this.agent, headers: { ...this.bearer, accept: 'application/json' } });
    return expectOk(what, { status: res.statusCode, text: await res.body.text() });
  }

  close(): Promise<void> { return this.agent.close(); }
}
