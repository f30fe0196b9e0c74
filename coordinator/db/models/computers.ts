import { DataTypes, type Sequelize } from 'sequelize';
import { defineModel } from './define.js';

/** `managed` computers check in; `unmanaged` ones had their certificate revoked. */
export type ComputerStatus = 'managed' | 'unmanaged';

export interface ComputerRow {
  id: number; uuid: string; name: string; serial: string; model: string; osName: string; osVersion: string;
  ipAddress: string; username: string; certSerial: string; certNotAfter: Date; status: ComputerStatus;
  checkinIntervalSeconds: number; checkinCount: number; lastCheckinAt: Date | null; lastInventoryAt: Date | null;
  inventory: string | null; enrolledAt: Date;
  /** Bumped when this computer's group memberships or policy logs change (keys its cached bundle). */
  bundleSerial: number;
  /** An admin viewed this account's escrowed password: the next check-in asks the agent to rotate it. */
  rotatePasswordFor: string | null;
  /** The network segment its check-in address falls in (issue 6), or null. */
  segmentId: number | null;
}
export interface ComputerHistoryRow { id: number; computerId: number; at: Date; kind: string; summary: string }
export interface EnrollmentTokenRow { id: number; tokenHash: string; uses: number; used: number; expiresAt: Date; createdBy: string; createdAt: Date }
export interface ExtensionAttributeRow {
  id: number; name: string; description: string; dataType: 'string' | 'integer' | 'date'; script: string;
  enabled: boolean; createdAt: Date; updatedAt: Date;
}
export interface SettingRow { key: string; value: string }

const pk = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true };
const S = DataTypes.STRING;

/** Computers, their history, enrollment tokens, extension attributes and settings. */
export function defineComputerModels(s: Sequelize) {
  return {
    Computer: defineModel<ComputerRow, 'id' | 'checkinCount' | 'lastCheckinAt' | 'lastInventoryAt' | 'inventory' | 'bundleSerial' | 'rotatePasswordFor' | 'segmentId'>(s, 'Computer', 'computers', {
      id: pk, uuid: S, name: S, serial: S, model: S, osName: S, osVersion: S, ipAddress: S, username: S,
      certSerial: S, certNotAfter: DataTypes.DATE, status: S, checkinIntervalSeconds: DataTypes.INTEGER,
      checkinCount: DataTypes.INTEGER, lastCheckinAt: DataTypes.DATE, lastInventoryAt: DataTypes.DATE,
      inventory: DataTypes.TEXT, enrolledAt: DataTypes.DATE, bundleSerial: DataTypes.INTEGER, rotatePasswordFor: S, segmentId: DataTypes.INTEGER,
    }),
    ComputerHistory: defineModel<ComputerHistoryRow, 'id'>(s, 'ComputerHistory', 'computer_history', {
      id: pk, computerId: DataTypes.INTEGER, at: DataTypes.DATE, kind: S, summary: S,
    }),
    EnrollmentToken: defineModel<EnrollmentTokenRow, 'id' | 'used'>(s, 'EnrollmentToken', 'enrollment_tokens', {
      id: pk, tokenHash: S, uses: DataTypes.INTEGER, used: DataTypes.INTEGER, expiresAt: DataTypes.DATE, createdBy: S, createdAt: DataTypes.DATE,
    }),
    ExtensionAttribute: defineModel<ExtensionAttributeRow, 'id'>(s, 'ExtensionAttribute', 'extension_attributes', {
      id: pk, name: S, description: S, dataType: S, script: DataTypes.TEXT, enabled: DataTypes.BOOLEAN,
      createdAt: DataTypes.DATE, updatedAt: DataTypes.DATE,
    }),
    Setting: defineModel<SettingRow>(s, 'Setting', 'settings', { key: { type: S, primaryKey: true }, value: DataTypes.TEXT }),
  };
}
