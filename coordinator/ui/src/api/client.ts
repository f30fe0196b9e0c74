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
  if (!res.ok) throw failure(res.status, res.statusText, parsed, path);
  return parsed as T;
}

/**
 * Sends a file as the raw body of a write (`POST /api/v1…`) with its content type, reporting upload progress
 * (XMLHttpRequest: fetch has no upload progress); aborting `signal` cancels it.
 */
export function uploadFile<T>(path: string, file: Blob, contentType: string, onProgress: (sent: number, total: number) => void, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1${path}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', contentType);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'cannot reach the coordinator: the upload was interrupted'));
    xhr.onabort = () => reject(new ApiError(0, 'ABORTED', 'upload cancelled'));
    xhr.onload = () => {
      let parsed: unknown;
      try { parsed = xhr.responseText ? JSON.parse(xhr.responseText) : undefined; } catch { parsed = undefined; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(parsed as T);
      else reject(failure(xhr.status, xhr.statusText, parsed, path));
    };
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

// The ApiError of an error answer; a 401 outside sign-in means the session is gone.
function failure(status: number, statusText: string, parsed: unknown, path: string): ApiError {
  const e = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  if (status === 401 && !path.startsWith('/auth/')) onUnauthenticated();
  return new ApiError(status, e?.code ?? 'HTTP_' + status, e?.message ?? statusText, e?.details);
}

/** Builds `path?k=v…`, leaving out empty values. */
export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
