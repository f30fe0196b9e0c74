import { api } from '../api/client.js';
import type { PolicyLog } from '../api/types.js';
import { useAction } from '../api/use-action.js';
import { ErrorBanner } from '../components/error-banner.js';
import { formatTime } from '../components/format.js';
import { RemoteTable } from '../components/remote-table.js';
import { WriteOnly } from '../components/write-only.js';
import { Link } from '../router/link.js';

/** A policy's runs on every computer, newest first; admins may flush them so the policy runs again. */
export function PolicyLogs({ id }: { id: number }) {
  const flush = useAction(async () => { await api('POST', `/policies/${id}/flush-logs`); location.reload(); });
  return (
    <section aria-labelledby="logs-title">
      <h2 id="logs-title">Logs</h2>
      <WriteOnly><button type="button" disabled={flush.busy} onClick={() => { if (confirm('Flush every log of this policy? It may run again everywhere.')) void flush.run(); }}>Flush all logs</button></WriteOnly>
      {flush.error && <ErrorBanner error={flush.error} />}
      <RemoteTable<PolicyLog> label="Policy logs" path={`/policies/${id}/logs`} rowKey={(l) => l.id} columns={[
        { key: 'computerId', label: 'Computer', render: (l) => <Link href={`/computers/${l.computerId}`}>#{l.computerId}</Link> },
        { key: 'status', label: 'Result', render: (l) => <span class={l.status === 'success' ? 'good' : 'bad'}>{l.status}</span> },
        { key: 'trigger', label: 'Trigger' },
        { key: 'finishedAt', label: 'Finished', render: (l) => formatTime(l.finishedAt) },
        { key: 'items', label: 'Items', render: (l) => l.items.map((x) => `${x.type} ${x.status}${x.exitCode !== null ? ` (exit ${x.exitCode})` : ''}: ${x.message}`).join('; ') },
        { key: 'flushed', label: 'Flushed', render: (l) => (l.flushed ? 'yes' : '') },
      ]} />
    </section>
  );
}
