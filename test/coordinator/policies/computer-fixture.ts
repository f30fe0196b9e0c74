import type { Inventory } from '../../../shared/schemas/inventory.js';
import type { CriteriaComputer } from '../../../coordinator/policies/criteria-fields.js';

/** A plausible inventory; `patch` replaces whole sections. */
export function inventory(patch: Partial<Inventory> = {}): Inventory {
  return {
    hardware: {
      manufacturer: 'Apple Inc.', model: 'MacBookPro18,3', serial: 'C02XYZ123',
      cpu: { brand: 'Apple M1 Pro', cores: 10, speedGHz: 3.2 },
      memoryBytes: 16 * 2 ** 30,
      disks: [{ name: 'disk0', type: 'SSD', sizeBytes: 512e9 }],
    },
    os: { platform: 'darwin', distro: 'macOS', release: '14.2.1', kernel: '23.2.0', arch: 'arm64' },
    network: {
      hostname: 'lab-mac-01',
      interfaces: [{ name: 'en0', mac: 'aa:bb:cc:dd:ee:ff', ipv4: ['10.1.2.3'], ipv6: [] }],
    },
    users: [
      { name: 'alice', uid: 501, home: '/Users/alice', loggedIn: true },
      { name: 'bob', uid: 502, home: '/Users/bob', loggedIn: false },
    ],
    software: [
      { name: 'Firefox', version: '121.0', source: 'applications' },
      { name: 'Slack', version: '4.36', source: 'applications' },
    ],
    bootTime: 1_700_000_000,
    extensionAttributes: { 'Battery Cycles': '312', 'Last Backup': '2025-12-30 08:15:00', Department: 'Physics' },
    ...patch,
  };
}

/** A computer as criteria see it. */
export function computer(patch: Partial<CriteriaComputer> = {}): CriteriaComputer {
  return { id: 7, name: 'Lab Mac 01', segmentId: 3, inventory: inventory(), groupIds: new Set(), ...patch };
}
