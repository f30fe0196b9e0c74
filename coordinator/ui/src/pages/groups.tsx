import type { Group } from '../api/types.js';
import { PageHeader } from '../components/page-header.js';
import { RemoteTable } from '../components/remote-table.js';
import { WriteOnly } from '../components/write-only.js';
import { Link } from '../router/link.js';

/** Static and smart computer groups with member counts. */
export function Groups() {
  return (
    <>
      <PageHeader title="Groups"><WriteOnly><Link class="button primary" href="/groups/new">New group</Link></WriteOnly></PageHeader>
      <RemoteTable<Group> label="Groups" path="/groups" rowKey={(g) => g.id} columns={[
        { key: 'name', label: 'Name', render: (g) => <Link href={`/groups/${g.id}`}>{g.name}</Link> },
        { key: 'kind', label: 'Kind' },
        { key: 'memberCount', label: 'Members', render: (g) => g.memberCount.toLocaleString() },
      ]} />
    </>
  );
}
