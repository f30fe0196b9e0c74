import { DataTypes, type Sequelize } from 'sequelize';
import { defineModel } from './define.js';

export interface ScriptRow { id: number; name: string; definition: string; createdAt: Date; updatedAt: Date }
export interface GroupRow { id: number; name: string; kind: 'static' | 'smart'; criteria: string | null; createdAt: Date; updatedAt: Date }
export interface GroupMemberRow { groupId: number; computerId: number }
export interface PolicyRow { id: number; name: string; definition: string; createdAt: Date; updatedAt: Date }
export interface PolicyLogRow {
  id: number; policyId: number; computerId: number; idempotencyKey: string; trigger: string; username: string | null;
  status: 'success' | 'failed'; startedAt: Date; finishedAt: Date; items: string; flushedAt: Date | null;
}

const pk = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true };
const S = DataTypes.STRING;

/** Scripts, computer groups with their members, policies and policy run logs. */
export function definePolicyModels(s: Sequelize) {
  return {
    Script: defineModel<ScriptRow, 'id'>(s, 'Script', 'scripts', {
      id: pk, name: S, definition: DataTypes.TEXT, createdAt: DataTypes.DATE, updatedAt: DataTypes.DATE,
    }),
    Group: defineModel<GroupRow, 'id'>(s, 'Group', 'computer_groups', {
      id: pk, name: S, kind: S, criteria: DataTypes.TEXT, createdAt: DataTypes.DATE, updatedAt: DataTypes.DATE,
    }),
    GroupMember: defineModel<GroupMemberRow>(s, 'GroupMember', 'group_members', {
      groupId: { type: DataTypes.INTEGER, primaryKey: true }, computerId: { type: DataTypes.INTEGER, primaryKey: true },
    }),
    Policy: defineModel<PolicyRow, 'id'>(s, 'Policy', 'policies', {
      id: pk, name: S, definition: DataTypes.TEXT, createdAt: DataTypes.DATE, updatedAt: DataTypes.DATE,
    }),
    PolicyLog: defineModel<PolicyLogRow, 'id' | 'flushedAt'>(s, 'PolicyLog', 'policy_logs', {
      id: pk, policyId: DataTypes.INTEGER, computerId: DataTypes.INTEGER, idempotencyKey: S, trigger: S, username: S,
      status: S, startedAt: DataTypes.DATE, finishedAt: DataTypes.DATE, items: DataTypes.TEXT, flushedAt: DataTypes.DATE,
    }),
  };
}
