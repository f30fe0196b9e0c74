import { z } from './zod.js';

const Str = z.string().max(1024);

/** Hardware facts. */
export const HardwareSection = z.strictObject({
  manufacturer: Str, model: Str, serial: Str,
  cpu: z.strictObject({ brand: Str, cores: z.number().int().min(0), speedGHz: z.number().min(0) }),
  memoryBytes: z.number().int().min(0),
  disks: z.array(z.strictObject({ name: Str, type: Str, sizeBytes: z.number().int().min(0) })).max(256),
});

/** Operating system facts. */
export const OsSection = z.strictObject({ platform: Str, distro: Str, release: Str, kernel: Str, arch: Str });

/** Host name and interfaces. */
export const NetworkSection = z.strictObject({
  hostname: Str,
  interfaces: z.array(z.strictObject({
    name: Str, mac: Str, ipv4: z.array(Str).max(64), ipv6: z.array(Str).max(64),
  })).max(256),
});

/** Local accounts and who is logged in. */
export const UsersSection = z.array(z.strictObject({
  name: Str, uid: z.number().int().nullable(), home: Str, loggedIn: z.boolean(),
})).max(10_000);

/** Installed software as the platform's package manager or app folders report it. */
export const SoftwareSection = z.array(z.strictObject({ name: Str, version: Str, source: Str })).max(50_000);

/** Results of script-based extension attributes, by attribute name. */
export const ExtensionAttributesSection = z.record(z.string().max(200), z.string().max(4096));

/** A full inventory report; each top-level key is a section that deltas replace whole. */
export const Inventory = z.strictObject({
  hardware: HardwareSection,
  os: OsSection,
  network: NetworkSection,
  users: UsersSection,
  software: SoftwareSection,
  bootTime: z.number().int().min(0),
  extensionAttributes: ExtensionAttributesSection,
}).openapi('Inventory');
export type Inventory = z.infer<typeof Inventory>;

/** Names of the inventory sections. */
export const INVENTORY_SECTIONS = Object.keys(Inventory.shape) as (keyof Inventory)[];

/** Device → coordinator inventory report: a full report, or only the sections that changed. */
export const InventoryReport = z.discriminatedUnion('full', [
  z.strictObject({ full: z.literal(true), inventory: Inventory }),
  z.strictObject({ full: z.literal(false), inventory: Inventory.partial() }),
]).openapi('InventoryReport');
export type InventoryReport = z.infer<typeof InventoryReport>;
