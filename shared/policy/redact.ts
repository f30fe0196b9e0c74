/** What a secret value is replaced with in logs and stored output. */
export const REDACTED = '********';

/** Replaces every occurrence of each non-empty secret in `text` (longest first, so overlapping secrets vanish whole). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const live = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  return live.reduce((out, secret) => out.split(secret).join(REDACTED), text);
}
