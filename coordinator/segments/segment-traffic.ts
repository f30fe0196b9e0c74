import { literal } from 'sequelize';
import type { DownloadReport, SegmentTraffic, SourceTier } from '../../shared/schemas/segment.js';
import type { Database } from '../db/database.js';
import type { ComputerRow } from '../db/models/computers.js';
import type { ChainSegment } from './distribution-chain.js';
import type { SegmentDirectory } from './segment-directory.js';

/** Segment id under which computers outside every segment are counted; node id under which the origin is. */
const NO_SEGMENT = 0;
const ORIGIN = 0;

/** Bytes devices received per segment and source (its own nodes, neighbours', other nodes, the origin). */
export class SegmentTrafficService {
  constructor(private readonly db: Database, private readonly directory: SegmentDirectory) {}

  /** Adds an agent's per-source byte counts, classified against the computer's current segment. */
  async record(computer: Pick<ComputerRow, 'segmentId'>, report: DownloadReport): Promise<void> {
    const { segments } = await this.directory.snapshot();
    const own = segments.find((s) => s.id === computer.segmentId);
    const segmentId = own?.id ?? NO_SEGMENT;
    const { SegmentTraffic } = this.db.models;
    await this.db.write(async (transaction) => {
      for (const s of report.sources.filter((x) => x.bytes > 0)) {
        const where = { segmentId, tier: tierOf(s.nodeId, own, segments), nodeId: s.nodeId ?? ORIGIN };
        const [updated] = await SegmentTraffic.update({ bytes: literal(`bytes + ${s.bytes}`) as unknown as number }, { where, transaction });
        if (!updated) await SegmentTraffic.create({ ...where, bytes: s.bytes }, { transaction });
      }
    });
  }

  /** A segment's bytes by source and the share its own nodes served. */
  async view(segmentId: number): Promise<SegmentTraffic> {
    const rows = await this.db.models.SegmentTraffic.findAll({ where: { segmentId }, order: [['tier', 'ASC'], ['nodeId', 'ASC']] });
    const sources = rows.map((r) => ({ tier: r.tier as SourceTier, nodeId: r.nodeId === ORIGIN ? null : r.nodeId, bytes: r.bytes }));
    const totalBytes = sources.reduce((n, s) => n + s.bytes, 0);
    const inSegmentBytes = sources.filter((s) => s.tier === 'segment').reduce((n, s) => n + s.bytes, 0);
    return { segmentId, sources, totalBytes, inSegmentBytes, inSegmentShare: totalBytes ? inSegmentBytes / totalBytes : 0 };
  }
}

function tierOf(nodeId: number | null, own: ChainSegment | undefined, segments: readonly ChainSegment[]): SourceTier {
  if (nodeId === null) return 'origin';
  if (own?.ranks.flat().includes(nodeId)) return 'segment';
  const neighbours = segments.filter((s) => own?.neighbourIds.includes(s.id));
  return neighbours.some((s) => s.ranks.flat().includes(nodeId)) ? 'neighbour' : 'other';
}
