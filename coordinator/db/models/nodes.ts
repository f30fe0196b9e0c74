import { DataTypes, type Sequelize } from 'sequelize';
import { defineModel } from './define.js';

export interface NodeRow {
  id: number; name: string; segmentIds: string; status: 'pending' | 'active' | 'revoked';
  tokenHash: string | null; tokenExpiresAt: Date | null; certSerial: string | null; peerId: string | null;
  addrs: string; httpUrl: string | null; health: string | null; lastHeartbeatAt: Date | null;
  createdBy: string; createdAt: Date; joinedAt: Date | null; revokedAt: Date | null;
}
export interface NodePinRow { nodeId: number; packageId: number; createdAt: Date }
export interface PackageTrafficRow { packageId: number; nodeId: number; fromOrigin: number; fromPeers: number; toAgents: number }

const S = DataTypes.STRING;
const D = DataTypes.DATE;

/** Distribution nodes, their pins and per-package byte accounting. */
export function defineNodeModels(s: Sequelize) {
  const counter = (name: string) => ({
    type: DataTypes.BIGINT, allowNull: false, defaultValue: 0,
    // SQLite and pg hand BIGINT back as strings; counters stay far below 2^53.
    get(this: { getDataValue(k: string): unknown }) { return Number(this.getDataValue(name)); },
  });
  return {
    Node: defineModel<NodeRow, 'id'>(s, 'Node', 'nodes', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      name: S(200), segmentIds: DataTypes.TEXT, status: S(20), tokenHash: S(64), tokenExpiresAt: D, certSerial: S(64),
      peerId: S(100), addrs: DataTypes.TEXT, httpUrl: S(300), health: DataTypes.TEXT, lastHeartbeatAt: D,
      createdBy: S(100), createdAt: D, joinedAt: D, revokedAt: D,
    }),
    NodePin: defineModel<NodePinRow>(s, 'NodePin', 'node_pins', {
      nodeId: { type: DataTypes.INTEGER, primaryKey: true }, packageId: { type: DataTypes.INTEGER, primaryKey: true }, createdAt: D,
    }),
    PackageTraffic: defineModel<PackageTrafficRow>(s, 'PackageTraffic', 'package_traffic', {
      packageId: { type: DataTypes.INTEGER, primaryKey: true }, nodeId: { type: DataTypes.INTEGER, primaryKey: true },
      fromOrigin: counter('fromOrigin'), fromPeers: counter('fromPeers'), toAgents: counter('toAgents'),
    }),
  };
}
