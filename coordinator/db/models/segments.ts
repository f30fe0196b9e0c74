import { DataTypes, type Sequelize } from 'sequelize';
import { defineModel } from './define.js';

export interface SegmentRow {
  id: number; name: string; family: 4 | 6; startAddr: string; endAddr: string;
  /** JSON: ranks of node ids (a number, or an array of equal-rank ids). */
  nodeIds: string;
  /** JSON: neighbour segment ids in order. */
  neighbourIds: string;
  createdAt: Date; updatedAt: Date;
}
export interface SegmentTrafficRow { segmentId: number; tier: string; nodeId: number; bytes: number }

/** Network segments and per-segment byte accounting. */
export function defineSegmentModels(s: Sequelize) {
  return {
    Segment: defineModel<SegmentRow, 'id'>(s, 'Segment', 'segments', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      name: DataTypes.STRING(200), family: DataTypes.INTEGER, startAddr: DataTypes.STRING(32), endAddr: DataTypes.STRING(32),
      nodeIds: DataTypes.TEXT, neighbourIds: DataTypes.TEXT, createdAt: DataTypes.DATE, updatedAt: DataTypes.DATE,
    }),
    SegmentTraffic: defineModel<SegmentTrafficRow>(s, 'SegmentTraffic', 'segment_traffic', {
      segmentId: { type: DataTypes.INTEGER, primaryKey: true }, tier: { type: DataTypes.STRING(20), primaryKey: true },
      nodeId: { type: DataTypes.INTEGER, primaryKey: true },
      // SQLite and pg hand BIGINT back as strings; counters stay far below 2^53.
      bytes: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0, get(this: { getDataValue(k: string): unknown }) { return Number(this.getDataValue('bytes')); } },
    }),
  };
}
