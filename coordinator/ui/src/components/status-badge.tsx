const TONE: Record<string, string> = { healthy: 'good', unhealthy: 'warn', offline: 'bad', revoked: 'muted', pending: 'muted' };

/** A node state as a coloured word (the colour only repeats what the word says). */
export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge ${TONE[status] ?? 'muted'}`}>{status}</span>;
}
