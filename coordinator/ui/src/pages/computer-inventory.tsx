import type { Inventory } from '../api/types.js';
import { formatBytes } from '../components/format.js';
import { KeyValues } from '../components/key-values.js';
import { LocalTable } from '../components/local-table.js';

type Software = Inventory['software'][number];
type Iface = Inventory['network']['interfaces'][number];
type LocalUser = Inventory['users'][number];

/** A computer's last inventory report: hardware, OS, network, users and software. Every value renders as text. */
export function ComputerInventory({ inventory }: { inventory: Inventory | null }) {
  if (!inventory) return <p>No inventory reported yet.</p>;
  const { hardware: hw, os } = inventory;
  return (
    <>
      <h3>Hardware</h3>
      <KeyValues items={[
        ['Manufacturer', hw.manufacturer], ['Model', hw.model], ['Serial', hw.serial],
        ['CPU', `${hw.cpu.brand} (${hw.cpu.cores} cores, ${hw.cpu.speedGHz} GHz)`], ['Memory', formatBytes(hw.memoryBytes)],
        ['Disks', hw.disks.map((d) => `${d.name} ${d.type} ${formatBytes(d.sizeBytes)}`).join(', ')],
      ]} />
      <h3>Operating system</h3>
      <KeyValues items={[['Platform', os.platform], ['Distribution', os.distro], ['Release', os.release], ['Kernel', os.kernel], ['Architecture', os.arch],
        ['Hostname', inventory.network.hostname], ['Booted', new Date(inventory.bootTime).toLocaleString()]]} />
      <h3>Network interfaces</h3>
      <LocalTable<Iface> label="Network interfaces" rows={inventory.network.interfaces} rowKey={(_, i) => i} columns={[
        { key: 'name', label: 'Name', sortable: true }, { key: 'mac', label: 'MAC' },
        { key: 'ipv4', label: 'IPv4', render: (n) => n.ipv4.join(', ') }, { key: 'ipv6', label: 'IPv6', render: (n) => n.ipv6.join(', ') },
      ]} />
      <h3>Local users</h3>
      <LocalTable<LocalUser> label="Local users" rows={inventory.users} rowKey={(_, i) => i} columns={[
        { key: 'name', label: 'Name', sortable: true }, { key: 'uid', label: 'UID', sortable: true }, { key: 'home', label: 'Home' },
        { key: 'loggedIn', label: 'Logged in', render: (u) => (u.loggedIn ? 'yes' : 'no') },
      ]} />
      <h3>Software ({inventory.software.length.toLocaleString()})</h3>
      <LocalTable<Software> label="Software" rows={inventory.software} rowKey={(_, i) => i} defaultSort={{ key: 'name', order: 'asc' }} columns={[
        { key: 'name', label: 'Name', sortable: true }, { key: 'version', label: 'Version' }, { key: 'source', label: 'Source', sortable: true },
      ]} />
    </>
  );
}
