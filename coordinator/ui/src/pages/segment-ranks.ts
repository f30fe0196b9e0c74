import type { PickedEntry } from '../components/ordered-picker.js';

/** A segment's node ranks as stored: a node id, or several node ids of equal rank. */
export type Ranks = (number | number[])[];

/** Ranks as picker entries: the nodes of a shared rank after its first are `tied` to the one above. */
export function ranksToEntries(ranks: readonly (number | readonly number[])[]): PickedEntry[] {
  return ranks.flatMap((r) => (typeof r === 'number' ? [{ value: r, tied: false }] : r.map((value, i) => ({ value, tied: i > 0 }))));
}

/** Picker entries as ranks: a tied entry joins the rank above it. */
export function entriesToRanks(entries: readonly PickedEntry[]): Ranks {
  const ranks: number[][] = [];
  for (const e of entries) {
    if (e.tied && ranks.length) ranks[ranks.length - 1]!.push(e.value);
    else ranks.push([e.value]);
  }
  return ranks.map((r) => (r.length === 1 ? r[0]! : r));
}
