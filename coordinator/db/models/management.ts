import { DataTypes, type Sequelize } from 'sequelize';
import type { Database } from '../database.js';
import { defineModel } from './define.js';

export interface EscrowedPasswordRow {
  id: number; computerId: number; username: string;
  /** `v1:` + base64(iv ‖ tag ‖ AES-256-GCM ciphertext); never the plaintext. */
  ciphertext: string;
  escrowedAt: Date; confirmedAt: Date | null;
}

/** Escrowed account passwords. */
export function defineManagementModels(s: Sequelize) {
  return {
    EscrowedPassword: defineModel<EscrowedPasswordRow, 'id' | 'confirmedAt'>(s, 'EscrowedPassword', 'escrowed_passwords', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, computerId: DataTypes.INTEGER, username: DataTypes.STRING,
      ciphertext: DataTypes.TEXT, escrowedAt: DataTypes.DATE, confirmedAt: DataTypes.DATE,
    }),
  };
}

const defined = new WeakMap<Database, ReturnType<typeof defineManagementModels>>();

/** The management models of one database (defined once on its Sequelize instance; `Database.models` can adopt them later). */
export function managementModels(db: Database): ReturnType<typeof defineManagementModels> {
  let models = defined.get(db);
  if (!models) defined.set(db, (models = defineManagementModels(db.sequelize)));
  return models;
}
