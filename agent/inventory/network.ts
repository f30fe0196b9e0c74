import os from 'node:os';
import si, { type Systeminformation } from 'systeminformation';
import type { Inventory } from '../../shared/schemas/inventory.js';
import { capArray, clampString, factString } from './limits.js';

/** The schema's caps on interfaces and addresses per family. */
export const MAX_INTERFACES = 256;
export const MAX_ADDRESSES = 64;

type Iface = Inventory['network']['interfaces'][number];
type OsAddresses = NodeJS.Dict<os.NetworkInterfaceInfo[]>;

const ZERO_MAC = '00:00:00:00:00:00';

/**
 * Merges systeminformation's interface list (names, MACs, also address-less links) with Node's,
 * which reports every address of an interface where systeminformation keeps only one per family.
 */
export function mergeInterfaces(siIfaces: Systeminformation.NetworkInterfacesData[], osIfaces: OsAddresses): Iface[] {
  const byName = new Map<string, Iface>();
  for (const i of siIfaces) {
    if (!i.iface) continue;
    byName.set(i.iface, {
      name: clampString(i.iface),
      mac: factString(i.mac),
      ipv4: i.ip4 ? [clampString(i.ip4)] : [],
      ipv6: i.ip6 ? [clampString(i.ip6)] : [],
    });
  }
  for (const [name, addrs] of Object.entries(osIfaces)) {
    if (!addrs || addrs.length === 0) continue;
    const prev = byName.get(name);
    const v4 = addrs.filter((a) => a.family === 'IPv4').map((a) => clampString(a.address));
    const v6 = addrs.filter((a) => a.family === 'IPv6').map((a) => clampString(a.address));
    const mac = prev?.mac || addrs.find((a) => a.mac && a.mac !== ZERO_MAC)?.mac || addrs[0]!.mac;
    byName.set(name, { name: clampString(name), mac: factString(mac), ipv4: v4, ipv6: v6 });
  }
  const list = [...byName.values()]
    .map((i) => ({
      ...i,
      ipv4: capArray([...new Set(i.ipv4)].sort(), MAX_ADDRESSES),
      ipv6: capArray([...new Set(i.ipv6)].sort(), MAX_ADDRESSES),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return capArray(list, MAX_INTERFACES);
}

/** Host name and network interfaces. */
export async function collectNetwork(): Promise<Inventory['network']> {
  const siIfaces = await si.networkInterfaces().catch(() => []);
  return {
    hostname: clampString(os.hostname()),
    interfaces: mergeInterfaces(Array.isArray(siIfaces) ? siIfaces : [siIfaces], os.networkInterfaces()),
  };
}
