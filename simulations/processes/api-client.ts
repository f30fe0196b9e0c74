import { Agent, request } from 'undici';

/** Per-call options: bearer token (null for none), client certificate, raw body, extra headers. */
export interface CallOptions { token?: string | null; tls?: { cert: string; key: string }; rawBody?: string; contentType?: string; headers?: Record<string, string> }

/** One API answer, body parsed when it is JSON. */
export interface ApiAnswer<T> { status: number; body: T; headers: Record<string, unknown> }

/** Calls a coordinator's API over HTTPS pinned to its CA (admin calls in simulations, the demo and tests). */
export interface ApiClient {
  api<T = any>(method: string, path: string, body?: unknown, opts?: CallOptions): Promise<ApiAnswer<T>>;
  close(): Promise<void>;
}

/** An API client for the coordinator at `baseUrl()`; `token()` is the bearer used when a call names none. */
export function createApiClient(caPem: string, baseUrl: () => string, token: () => string): ApiClient {
  const agents = new Map<string, Agent>();
  const agentFor = (tls?: { cert: string; key: string }) => {
    const key = tls ? tls.cert : 'anon';
    let a = agents.get(key);
    if (!a) { a = new Agent({ connect: { ca: caPem, ...(tls ?? {}) } }); agents.set(key, a); }
    return a;
  };
  return {
    async api(method, path, body, o = {}) {
      const bearer = o.token === undefined ? token() : o.token;
      const res = await request(new URL(path, baseUrl()), {
        method: method as 'GET', dispatcher: agentFor(o.tls),
        headers: {
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...(body !== undefined || o.rawBody !== undefined ? { 'content-type': o.contentType ?? 'application/json' } : {}),
          ...o.headers,
        },
        body: o.rawBody ?? (body !== undefined ? JSON.stringify(body) : undefined),
      });
      const text = await res.body.text();
      let parsed: unknown = text;
      try { parsed = text ? JSON.parse(text) : undefined; } catch { /* non-JSON answers stay text */ }
      return { status: res.statusCode, body: parsed as any, headers: res.headers };
    },
    async close() {
      await Promise.all([...agents.values()].map((a) => a.close()));
    },
  };
}

/** Calls the API and returns the body of a 2xx answer; throws with the status and body otherwise. */
export async function apiCall<T>(client: ApiClient, method: string, path: string, body?: unknown): Promise<T> {
  const res = await client.api<T>(method, path, body);
  if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

/** Where a coordinator is and its admin password (what the simulations start or are given). */
export interface AdminAccess { url: string; caPem: string; adminPassword: string }

/** An API client signed in as `admin`, and its bearer token (the package upload takes it too); closed again if sign-in fails. */
export async function signedInAdminClient(coordinator: AdminAccess): Promise<{ api: ApiClient; token: string }> {
  let token = '';
  const api = createApiClient(coordinator.caPem, () => coordinator.url, () => token);
  try {
    token = (await apiCall<{ token: string }>(api, 'POST', '/api/v1/auth/token', { username: 'admin', password: coordinator.adminPassword })).token;
    return { api, token };
  } catch (err) {
    await api.close();
    throw err;
  }
}
