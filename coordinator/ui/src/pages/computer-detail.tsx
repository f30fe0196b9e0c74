import { api } from '../api/client.js';
import type { ComputerFull, Inventory } from '../api/types.js';
import { useAction } from '../api/use-action.js';
import { useApi } from '../api/use-api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { formatTime } from '../components/format.js';
import { KeyValues } from '../components/key-values.js';
import { LocalTable } from '../components/local-table.js';
import { PageHeader } from '../components/page-header.js';
import { Tabs } from '../components/tabs.js';
import { WriteOnly } from '../components/write-only.js';
import { Link } from '../router/link.js';
import { navigate } from '../router/router.js';
import { ComputerExplain } from './computer-explain.js';
import { ComputerInventory } from './computer-inventory.js';

type Run = ComputerFull['policyHistory'][number];
type Event = ComputerFull['history'][number];

/** One computer: summary, inventory, extension attributes, policy history, history and scope explanation. */
export function ComputerDetail({ id }: { id: number }) {
  const { data: c, error, reload } = useApi<ComputerFull>(`/computers/${id}`);
  const flush = useAction(async () => { await api('POST', `/computers/${id}/flush-logs`); reload(); });
  const unmanage = useAction(async () => {
    if (!confirm('Unmanage this computer and revoke its certificate?')) return;
    await api('DELETE', `/computers/${id}`);
    navigate('/computers');
  });
  if (error) return <><PageHeader title="Computer" /><ErrorBanner error={error} /></>;
  if (!c) return <p role="status">Loading…</p>;
  const inventory = c.inventory as Inventory | null;
  const actionError = flush.error ?? unmanage.error;
  return (
    <>
      <PageHeader title={c.name || `Computer ${c.id}`}>
        <WriteOnly>
          <button type="button" disabled={flush.busy} onClick={() => flush.run()}>Flush policy logs</button>
          {c.status === 'managed' && <button type="button" class="danger" disabled={unmanage.busy} onClick={() => unmanage.run()}>Unmanage</button>}
        </WriteOnly>
      </PageHeader>
      {actionError && <ErrorBanner error={actionError} />}
      <KeyValues items={[
        ['Status', c.status], ['Serial', c.serial], ['Model', c.model], ['OS', `${c.osName} ${c.osVersion}`.trim()], ['IP address', c.ipAddress],
        ['User', c.username], ['UUID', c.uuid], ['Enrolled', formatTime(c.enrolledAt)], ['Last check-in', formatTime(c.lastCheckinAt)],
        ['Last inventory', formatTime(c.lastInventoryAt)], ['Check-ins', c.checkinCount.toLocaleString()], ['Certificate expires', formatTime(c.certificateNotAfter)],
      ]} />
      <Tabs label="Computer details" tabs={[
        ['Inventory', () => <ComputerInventory inventory={inventory} />],
        ['Extension attributes', () => (
          <KeyValues items={Object.entries(inventory?.extensionAttributes ?? {}).sort(([a], [b]) => a.localeCompare(b))} />
        )],
        ['Policy history', () => (
          <LocalTable<Run> label="Policy history" rows={c.policyHistory} rowKey={(_, i) => i} columns={[
            { key: 'policyName', label: 'Policy', sortable: true, render: (r) => <Link href={`/policies/${r.policyId}`}>{r.policyName}</Link> },
            { key: 'status', label: 'Result', sortable: true, render: (r) => <span class={r.status === 'success' ? 'good' : 'bad'}>{r.status}</span> },
            { key: 'trigger', label: 'Trigger', sortable: true }, { key: 'username', label: 'User' },
            { key: 'finishedAt', label: 'Finished', sortable: true, render: (r) => formatTime(r.finishedAt) },
            { key: 'flushed', label: 'Flushed', render: (r) => (r.flushed ? 'yes' : '') },
          ]} />
        )],
        ['History', () => (
          <LocalTable<Event> label="History" rows={c.history} rowKey={(_, i) => i} columns={[
            { key: 'at', label: 'When', sortable: true, render: (h) => formatTime(h.at) }, { key: 'kind', label: 'Kind', sortable: true }, { key: 'summary', label: 'Summary' },
          ]} />
        )],
        ['Scope', () => <ComputerExplain id={id} />],
      ]} />
    </>
  );
}
