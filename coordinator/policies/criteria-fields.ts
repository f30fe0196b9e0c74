import type { Inventory } from '../../shared/schemas/inventory.js';

/** A computer as smart-group criteria see it; `groupIds` are the groups already known to contain it. */
export interface CriteriaComputer {
  id: number;
  name: string;
  segmentId: number | null;
  inventory: Inventory | null;
  groupIds: ReadonlySet<number>;
}

/**
 * How `greater`/`less` (and `is` for numbers) compare a field: `number` numerically, `version` by its
 * leading dotted numbers, `text` numerically or as dates when both sides allow it.
 */
export type FieldKind = 'text' | 'number' | 'version';

/** An allowlisted criteria field: its comparison kind and its values on a computer (several for lists). */
export interface CriteriaField {
  kind: FieldKind;
  values(computer: CriteriaComputer): string[];
}

/** The pseudo-field of `member of` / `not member of`, whose value is a group id. */
export const GROUP_FIELD = 'computer.group';

const EXTENSION_ATTRIBUTE_PREFIX = 'extensionAttributes.';

type Inv = Inventory;
// A missing scalar reads as '' so `is ""` finds blanks, as in Jamf; a missing list has no values.
const scalar = (kind: FieldKind, get: (inv: Inv) => string | number): CriteriaField =>
  ({ kind, values: (c) => [c.inventory ? String(get(c.inventory)) : ''] });
const list = (get: (inv: Inv) => string[]): CriteriaField =>
  ({ kind: 'text', values: (c) => (c.inventory ? get(c.inventory) : []) });

const FIELDS: Record<string, CriteriaField> = {
  'computer.id': { kind: 'number', values: (c) => [String(c.id)] },
  'computer.name': { kind: 'text', values: (c) => [c.name] },
  'computer.segmentId': { kind: 'number', values: (c) => [c.segmentId === null ? '' : String(c.segmentId)] },
  'hardware.manufacturer': scalar('text', (i) => i.hardware.manufacturer),
  'hardware.model': scalar('text', (i) => i.hardware.model),
  'hardware.serial': scalar('text', (i) => i.hardware.serial),
  'hardware.cpu.brand': scalar('text', (i) => i.hardware.cpu.brand),
  'hardware.cpu.cores': scalar('number', (i) => i.hardware.cpu.cores),
  'hardware.cpu.speedGHz': scalar('number', (i) => i.hardware.cpu.speedGHz),
  'hardware.memoryBytes': scalar('number', (i) => i.hardware.memoryBytes),
  'hardware.disks.type': list((i) => i.hardware.disks.map((d) => d.type)),
  'os.platform': scalar('text', (i) => i.os.platform),
  'os.distro': scalar('text', (i) => i.os.distro),
  'os.release': scalar('version', (i) => i.os.release),
  'os.kernel': scalar('version', (i) => i.os.kernel),
  'os.arch': scalar('text', (i) => i.os.arch),
  'network.hostname': scalar('text', (i) => i.network.hostname),
  'network.ipv4': list((i) => i.network.interfaces.flatMap((n) => n.ipv4)),
  'network.mac': list((i) => i.network.interfaces.map((n) => n.mac)),
  'users.name': list((i) => i.users.map((u) => u.name)),
  'users.loggedIn': list((i) => i.users.filter((u) => u.loggedIn).map((u) => u.name)),
  'software.name': list((i) => i.software.map((s) => s.name)),
  'bootTime': scalar('number', (i) => i.bootTime),
};

/** The allowlisted field names (plus `extensionAttributes.<name>` and `computer.group`), for messages and the UI. */
export const CRITERIA_FIELDS: readonly string[] = Object.keys(FIELDS);

/** Looks up an allowlisted field; undefined when the name is not allowed. */
export function lookupField(name: string): CriteriaField | undefined {
  if (Object.hasOwn(FIELDS, name)) return FIELDS[name];
  if (name.startsWith(EXTENSION_ATTRIBUTE_PREFIX) && name.length > EXTENSION_ATTRIBUTE_PREFIX.length) {
    const attribute = name.slice(EXTENSION_ATTRIBUTE_PREFIX.length);
    return {
      kind: 'text',
      values: (c) => [c.inventory && Object.hasOwn(c.inventory.extensionAttributes, attribute)
        ? c.inventory.extensionAttributes[attribute] : ''],
    };
  }
  return undefined;
}
