/** An error answer of the REST API (`{"error":{"code","message"}}`) or a network failure. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A `{"items":[…],"total":N}` list answer. */
export interface ListAnswer<T> { items: T[]; total: number }

let csrfToken = '';
let onUnauthenticated: () => void = () => {};

/** Remembers the session's CSRF token, sent on every write. */
export function setCsrfToken(token: string): void { csrfToken = token; }

/** Called when the API answers 401 (session expired or signed out elsewhere). */
export function setUnauthenticatedHandler(handler: () => void): void { onUnauthenticated = handler; }

/** Calls `/api/v1…` with the session cookie; writes carry the CSRF token; errors become `ApiError`. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    throw new ApiError(0, 'NETWORK', `cannot reach the coordinator: ${(err as Error).message}`);
  }
  if (res.status === 204) return undefined as T;
  const parsed: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const e = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    if (res.status === 401 && !path.startsWith('/auth/')) onUnauthenticated();
    throw new ApiError(res.status, e?.code ?? 'HTTP_' + res.status, e?.message ?? res.statusText, e?.details);
  }
  return parsed as T;
}

/** Builds `path?k=v…`, leaving out empty values. */
export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
