import si, { type Systeminformation } from 'systeminformation';
import type { Inventory } from '../../shared/schemas/inventory.js';
import { capArray, factString, nonNegativeInt, nonNegativeNumber } from './limits.js';

/** The schema's cap on disks. */
export const MAX_DISKS = 256;

// Virtual block devices that are not storage an admin would inventory.
const VIRTUAL_DISK = /^(?:loop|ram|zram|nbd)\d/;

type Disk = Inventory['hardware']['disks'][number];

/** Maps physical disks; falls back to whole-disk block devices where diskLayout sees nothing (VMs, containers). */
export function toDisks(layout: Systeminformation.DiskLayoutData[], blocks: Systeminformation.BlockDevicesData[]): Disk[] {
  const disks: Disk[] = layout.length > 0
    ? layout.map((d) => ({ name: factString(d.name || d.device), type: factString(d.type), sizeBytes: nonNegativeInt(d.size) }))
    : blocks
      .filter((b) => b.type === 'disk' && !VIRTUAL_DISK.test(b.name))
      .map((b) => ({ name: factString(b.model || b.name), type: factString(b.physical), sizeBytes: nonNegativeInt(b.size) }));
  return capArray(disks, MAX_DISKS);
}

/** Joins vendor and brand without repeating the vendor ("AMD" + "EPYC" → "AMD EPYC"). */
export function cpuBrand(manufacturer: string, brand: string): string {
  const m = manufacturer.trim();
  const b = brand.trim();
  if (!m) return factString(b);
  return factString(b.toLowerCase().startsWith(m.toLowerCase()) ? b : `${m} ${b}`.trim());
}

/** Hardware facts from systeminformation; a probe that fails yields defaults rather than an error. */
export async function collectHardware(): Promise<Inventory['hardware']> {
  const [system, cpu, mem, layout, blocks] = await Promise.all([
    si.system().catch(() => undefined),
    si.cpu().catch(() => undefined),
    si.mem().catch(() => undefined),
    si.diskLayout().catch(() => []),
    si.blockDevices().catch(() => []),
  ]);
  return {
    manufacturer: factString(system?.manufacturer),
    model: factString(system?.model),
    serial: factString(system?.serial),
    cpu: {
      brand: cpuBrand(cpu?.manufacturer ?? '', cpu?.brand ?? ''),
      cores: nonNegativeInt(cpu?.cores),
      speedGHz: nonNegativeNumber(cpu?.speedMax || cpu?.speed),
    },
    memoryBytes: nonNegativeInt(mem?.total),
    disks: toDisks(layout ?? [], blocks ?? []),
  };
}

/** Operating-system facts from systeminformation. */
export async function collectOs(): Promise<Inventory['os']> {
  const info = await si.osInfo().catch(() => undefined);
  return {
    platform: factString(info?.platform ?? process.platform),
    distro: factString(info?.distro),
    release: factString(info?.release),
    kernel: factString(info?.kernel),
    arch: factString(info?.arch ?? process.arch),
  };
}
