import type { ApiError } from '../api/client.js';

/** An API error, announced to screen readers. */
export function ErrorBanner({ error }: { error: ApiError | Error }) {
  const code = 'code' in error ? `${error.code}: ` : '';
  return <p class="error" role="alert">{code}{error.message}</p>;
}
