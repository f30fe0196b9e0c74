import type { Attribute } from '../api/types.js';
import { PageHeader } from '../components/page-header.js';
import { RemoteTable } from '../components/remote-table.js';
import { WriteOnly } from '../components/write-only.js';
import { Link } from '../router/link.js';

/** Script-based extension attributes collected with inventory. */
export function ExtensionAttributes() {
  return (
    <>
      <PageHeader title="Extension attributes"><WriteOnly><Link class="button primary" href="/extension-attributes/new">New attribute</Link></WriteOnly></PageHeader>
      <RemoteTable<Attribute> label="Extension attributes" path="/extension-attributes" rowKey={(a) => a.id} columns={[
        { key: 'name', label: 'Name', render: (a) => <Link href={`/extension-attributes/${a.id}`}>{a.name}</Link> },
        { key: 'dataType', label: 'Type' },
        { key: 'enabled', label: 'Enabled', render: (a) => (a.enabled ? 'yes' : 'no') },
        { key: 'description', label: 'Description' },
      ]} />
    </>
  );
}
