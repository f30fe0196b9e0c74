import { formatIp } from '../../shared/net/ip-address.js';
import { formatIpRange, parseIpRange, type IpRange } from '../../shared/net/ip-range.js';
import type { Segment, SegmentInput } from '../../shared/schemas/segment.js';
import type { SegmentRow } from '../db/models/segments.js';
import type { ChainSegment } from './distribution-chain.js';
import type { RangedSegment } from './segment-matcher.js';

// A stored address: 32 hex digits, so ranges sort and compare as text.
const addressKey = (value: bigint) => value.toString(16).padStart(32, '0');

/** The row columns of an admin input (range parsed and normalized). */
export function segmentColumns(input: SegmentInput) {
  const range = parseIpRange(input.range);
  return {
    name: input.name, family: range.family, startAddr: addressKey(range.start), endAddr: addressKey(range.end),
    nodeIds: JSON.stringify(input.nodeIds), neighbourIds: JSON.stringify(input.neighbourIds),
  };
}

/** The range a row stores. */
export function rowRange(row: Pick<SegmentRow, 'family' | 'startAddr' | 'endAddr'>): IpRange {
  return { family: row.family, start: BigInt(`0x${row.startAddr}`), end: BigInt(`0x${row.endAddr}`) };
}

/** The admin view of a row. */
export function segmentView(row: SegmentRow): Segment {
  const range = rowRange(row);
  return {
    id: row.id, name: row.name, range: formatIpRange(range), family: range.family,
    start: formatIp({ family: range.family, value: range.start }), end: formatIp({ family: range.family, value: range.end }),
    nodeIds: JSON.parse(row.nodeIds) as Segment['nodeIds'], neighbourIds: JSON.parse(row.neighbourIds) as number[],
    createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
  };
}

/** What matching and the chain need of a row. */
export function rangedSegment(row: SegmentRow): RangedSegment & ChainSegment {
  const ranks = (JSON.parse(row.nodeIds) as (number | number[])[]).map((r) => (Array.isArray(r) ? r : [r]));
  return { id: row.id, name: row.name, range: rowRange(row), ranks, neighbourIds: JSON.parse(row.neighbourIds) as number[] };
}
