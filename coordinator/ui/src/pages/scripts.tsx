import type { Script } from '../api/types.js';
import { PageHeader } from '../components/page-header.js';
import { RemoteTable } from '../components/remote-table.js';
import { WriteOnly } from '../components/write-only.js';
import { Link } from '../router/link.js';

/** Policy scripts. */
export function Scripts() {
  return (
    <>
      <PageHeader title="Scripts"><WriteOnly><Link class="button primary" href="/scripts/new">New script</Link></WriteOnly></PageHeader>
      <RemoteTable<Script> label="Scripts" path="/scripts" rowKey={(s) => s.id} columns={[
        { key: 'name', label: 'Name', render: (s) => <Link href={`/scripts/${s.id}`}>{s.name}</Link> },
        { key: 'parameterLabels', label: 'Parameters', render: (s) => s.parameterLabels.filter(Boolean).join(', ') },
        { key: 'timeoutSeconds', label: 'Timeout (s)' },
      ]} />
    </>
  );
}
