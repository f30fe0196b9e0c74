import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildInventoryReport, changedSections, sectionDigests } from '../../../agent/inventory/delta.js';
import { INVENTORY_SECTIONS, Inventory, InventoryReport } from '../../../shared/schemas/inventory.js';
import { isDigest } from '../../../shared/digest.js';

const str = fc.string({ maxLength: 12 });
const nat = fc.nat({ max: 2 ** 40 });
const inventoryArb: fc.Arbitrary<Inventory> = fc.record({
  hardware: fc.record({
    manufacturer: str, model: str, serial: str,
    // Hundredths avoid -0, which JSON (and so the digest) cannot tell from 0.
    cpu: fc.record({ brand: str, cores: fc.nat(256), speedGHz: fc.integer({ min: 0, max: 600 }).map((n) => n / 100) }),
    memoryBytes: nat,
    disks: fc.array(fc.record({ name: str, type: str, sizeBytes: nat }), { maxLength: 3 }),
  }),
  os: fc.record({ platform: str, distro: str, release: str, kernel: str, arch: str }),
  network: fc.record({
    hostname: str,
    interfaces: fc.array(fc.record({
      name: str, mac: str, ipv4: fc.array(str, { maxLength: 2 }), ipv6: fc.array(str, { maxLength: 2 }),
    }), { maxLength: 3 }),
  }),
  users: fc.array(fc.record({
    name: str, uid: fc.option(fc.nat(70_000), { nil: null }), home: str, loggedIn: fc.boolean(),
  }), { maxLength: 4 }),
  software: fc.array(fc.record({ name: str, version: str, source: str }), { maxLength: 5 }),
  bootTime: nat,
  extensionAttributes: fc.dictionary(str.filter((k) => k !== '__proto__'), str, { maxKeys: 4 }),
});

const base: Inventory = Inventory.parse({
  hardware: { manufacturer: 'Acme', model: 'M1', serial: 'S1', cpu: { brand: 'X', cores: 4, speedGHz: 3.1 }, memoryBytes: 8e9, disks: [] },
  os: { platform: 'linux', distro: 'Debian', release: '12', kernel: '6.1', arch: 'x64' },
  network: { hostname: 'h', interfaces: [{ name: 'eth0', mac: 'aa', ipv4: ['10.0.0.2'], ipv6: [] }] },
  users: [{ name: 'root', uid: 0, home: '/root', loggedIn: false }],
  software: [{ name: 'curl', version: '8', source: 'dpkg' }],
  bootTime: 1_700_000_000_000,
  extensionAttributes: { EA: 'v' },
});

describe('sectionDigests', () => {
  it('has one sha256 digest per section, independent of key order', () => {
    const d = sectionDigests(base);
    expect(Object.keys(d).sort()).toEqual([...INVENTORY_SECTIONS].sort());
    expect(Object.values(d).every(isDigest)).toBe(true);
    const reordered = { ...base, os: { arch: 'x64', kernel: '6.1', release: '12', distro: 'Debian', platform: 'linux' } };
    expect(sectionDigests(reordered)).toEqual(d);
  });
});

describe('changedSections', () => {
  it('is empty for an unchanged inventory', () => {
    expect(changedSections(structuredClone(base), sectionDigests(base))).toEqual({});
  });

  it('contains only the section that changed', () => {
    const next = structuredClone(base);
    next.software.push({ name: 'git', version: '2.39', source: 'dpkg' });
    expect(changedSections(next, sectionDigests(base))).toEqual({ software: next.software });
  });

  it('includes sections missing from the previous digests', () => {
    const { users: _omit, ...partial } = sectionDigests(base);
    expect(Object.keys(changedSections(base, partial))).toEqual(['users']);
  });

  it('applying the delta to the old inventory reproduces the new one (property)', () => {
    fc.assert(fc.property(inventoryArb, inventoryArb, fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }), (old, other, pick) => {
      const next = { ...old };
      INVENTORY_SECTIONS.forEach((s, i) => { if (pick[i]) (next as Record<string, unknown>)[s] = other[s]; });
      const delta = changedSections(next, sectionDigests(old));
      expect({ ...old, ...delta }).toEqual(next);
      // Only sections that were swapped in can appear, and only when they really differ.
      for (const s of Object.keys(delta)) expect(pick[INVENTORY_SECTIONS.indexOf(s as keyof Inventory)]).toBe(true);
      expect(InventoryReport.safeParse({ full: false, inventory: delta }).success).toBe(true);
    }), { numRuns: 300 });
  });
});

describe('buildInventoryReport', () => {
  it('sends a full report when nothing was reported before', () => {
    for (const prev of [undefined, null, {}]) {
      const { report, digests, hasChanges } = buildInventoryReport(base, prev);
      expect(report).toEqual({ full: true, inventory: base });
      expect(digests).toEqual(sectionDigests(base));
      expect(hasChanges).toBe(true);
      expect(InventoryReport.safeParse(report).success).toBe(true);
    }
  });

  it('sends only changed sections afterwards, and a full one when forced', () => {
    const prev = sectionDigests(base);
    const next = { ...base, bootTime: base.bootTime + 60_000 };
    expect(buildInventoryReport(next, prev).report).toEqual({ full: false, inventory: { bootTime: next.bootTime } });
    const same = buildInventoryReport(base, prev);
    expect(same).toMatchObject({ report: { full: false, inventory: {} }, hasChanges: false });
    expect(buildInventoryReport(base, prev, true).report.full).toBe(true);
  });
});
