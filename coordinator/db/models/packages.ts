import { DataTypes, type Sequelize } from 'sequelize';
import { defineModel } from './define.js';

export interface PackageRow {
  id: number; name: string; version: string; revision: number; digest: string; size: number; chunkCount: number; bytesNew: number;
  manifest: string; signature: string; uploadedBy: string; createdAt: Date;
}
export interface PackageRevisionRow { name: string; revision: number }

// SQLite and pg hand BIGINT back as strings; sizes and revisions stay below 2^53.
const big = (name: string) => ({
  type: DataTypes.BIGINT,
  get(this: { getDataValue(k: string): unknown }) { return Number(this.getDataValue(name)); },
});

/** Uploaded packages and the per-name revision counter. */
export function definePackageModels(s: Sequelize) {
  return {
    Package: defineModel<PackageRow, 'id'>(s, 'Package', 'packages', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      name: DataTypes.STRING(200), version: DataTypes.STRING(64), revision: big('revision'), digest: DataTypes.STRING(71),
      size: big('size'), chunkCount: DataTypes.INTEGER, bytesNew: big('bytesNew'), manifest: DataTypes.TEXT,
      signature: DataTypes.STRING(100), uploadedBy: DataTypes.STRING(100), createdAt: DataTypes.DATE,
    }),
    PackageRevision: defineModel<PackageRevisionRow>(s, 'PackageRevision', 'package_revisions', {
      name: { type: DataTypes.STRING(200), primaryKey: true }, revision: big('revision'),
    }),
  };
}
