import type { Inventory } from '../../shared/schemas/inventory.js';

/** A small, valid inventory for a synthetic machine. */
export function sampleInventory(hostname: string, overrides: Partial<Inventory> = {}): Inventory {
  return {
    hardware: { manufacturer: 'Acme', model: 'Workstation 9', serial: `SN-${hostname}`, cpu: { brand: 'Test CPU', cores: 8, speedGHz: 3.2 }, memoryBytes: 16 * 2 ** 30, disks: [{ name: 'sda', type: 'SSD', sizeBytes: 512e9 }] },
    os: { platform: 'linux', distro: 'Debian GNU/Linux', release: '12', kernel: '6.1.0', arch: 'x64' },
    network: { hostname, interfaces: [{ name: 'eth0', mac: '02:00:00:00:00:01', ipv4: ['10.0.0.2'], ipv6: [] }] },
    users: [{ name: 'alice', uid: 1000, home: '/home/alice', loggedIn: true }],
    software: [{ name: 'firefox-esr', version: '115.0', source: 'dpkg' }],
    bootTime: 1_700_000_000_000,
    extensionAttributes: {},
    ...overrides,
  };
}
