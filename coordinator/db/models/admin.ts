import { DataTypes, type Sequelize } from 'sequelize';
import { defineModel } from './define.js';

/** Admin roles: `admin` may write, `auditor` may only read. */
export type Role = 'admin' | 'auditor';

export interface UserRow { id: number; username: string; passwordHash: string; role: Role; createdAt: Date }
export interface ApiTokenRow { id: number; tokenHash: string; userId: number; expiresAt: Date; createdAt: Date }
export interface LoginFailureRow { id: number; username: string; ip: string; at: Date }
export interface AuditRow { id: number; at: Date; username: string; action: string; status: number; details: string }

const pk = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true };

/** Admin users, their bearer tokens, failed sign-ins (throttling) and the audit log. */
export function defineAdminModels(s: Sequelize) {
  return {
    User: defineModel<UserRow, 'id'>(s, 'User', 'users', {
      id: pk, username: DataTypes.STRING, passwordHash: DataTypes.STRING, role: DataTypes.STRING, createdAt: DataTypes.DATE,
    }),
    ApiToken: defineModel<ApiTokenRow, 'id'>(s, 'ApiToken', 'api_tokens', {
      id: pk, tokenHash: DataTypes.STRING, userId: DataTypes.INTEGER, expiresAt: DataTypes.DATE, createdAt: DataTypes.DATE,
    }),
    LoginFailure: defineModel<LoginFailureRow, 'id'>(s, 'LoginFailure', 'login_failures', {
      id: pk, username: DataTypes.STRING, ip: DataTypes.STRING, at: DataTypes.DATE,
    }),
    Audit: defineModel<AuditRow, 'id'>(s, 'Audit', 'audit_log', {
      id: pk, at: DataTypes.DATE, username: DataTypes.STRING, action: DataTypes.STRING, status: DataTypes.INTEGER, details: DataTypes.TEXT,
    }),
  };
}
