import { randomBytes } from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import type { Clock } from '../../shared/clock.js';
import { sha256Hex } from '../../shared/digest.js';
import { ConflictError, RateLimitedError, UnauthenticatedError } from '../../shared/errors.js';
import type { Database } from '../db/database.js';
import type { Role } from '../db/models/admin.js';
import { hashPassword, verifyPassword } from './passwords.js';

/** An authenticated admin user. */
export interface AuthUser { id: number; username: string; role: Role }

/** Sign-in throttling and token lifetime. */
export interface AuthPolicy { maxFailures: number; failureWindowSeconds: number; tokenTtlSeconds: number }

export const DEFAULT_AUTH_POLICY: AuthPolicy = { maxFailures: 5, failureWindowSeconds: 900, tokenTtlSeconds: 8 * 3600 };

// Equalizes timing between unknown users and wrong passwords.
const DUMMY_HASH = hashPassword('homing-dummy-password');

/** Admin users, sign-in with throttling, and bearer tokens (stored hashed). */
export class AuthService {
  constructor(private readonly db: Database, private readonly clock: Clock, private readonly policy: AuthPolicy = DEFAULT_AUTH_POLICY) {}

  /** Creates the user if it does not exist; returns true when created. */
  async ensureUser(username: string, password: string, role: Role): Promise<boolean> {
    const { User } = this.db.models;
    if (await User.findOne({ where: { username } })) return false;
    try {
      await this.createUser(username, password, role);
      return true;
    } catch (err) {
      // Another coordinator sharing the database created it first.
      if (err instanceof ConflictError) return false;
      throw err;
    }
  }

  /** Creates an admin or auditor; refuses duplicate names. */
  async createUser(username: string, password: string, role: Role): Promise<AuthUser> {
    const passwordHash = await hashPassword(password);
    return this.db.write(async (transaction) => {
      const { User } = this.db.models;
      if (await User.findOne({ where: { username }, transaction })) throw new ConflictError(`user "${username}" already exists`);
      const row = await User.create({ username, passwordHash, role, createdAt: new Date(this.clock.now()) }, { transaction });
      return { id: row.id, username: row.username, role: row.role };
    });
  }

  /**
   * Checks credentials (throttled per username) and issues a bearer token. The throttle is decided under a
   * per-username database lock, so coordinators sharing the database together allow `maxFailures` failures.
   */
  async signIn(username: string, password: string, ip: string): Promise<{ token: string; expiresAt: Date; role: Role }> {
    const { User, LoginFailure, ApiToken } = this.db.models;
    const now = this.clock.now();
    // Cheap early refusal before hashing; the decisive check runs again under the lock.
    await this.requireNotThrottled(username, now);
    const user = await User.findOne({ where: { username } });
    const ok = user ? await verifyPassword(password, user.passwordHash) : (await verifyPassword(password, await DUMMY_HASH), false);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now + this.policy.tokenTtlSeconds * 1000);
    const signedIn = await this.db.write(async (transaction) => {
      await this.db.lock(`sign-in:${username}`, transaction);
      await this.requireNotThrottled(username, now, transaction);
      if (!user || !ok) {
        await LoginFailure.create({ username, ip, at: new Date(now) }, { transaction });
        return false;
      }
      await LoginFailure.destroy({ where: { username }, transaction });
      await ApiToken.destroy({ where: { expiresAt: { [Op.lt]: new Date(now) } }, transaction });
      await ApiToken.create({ tokenHash: sha256Hex(token), userId: user.id, expiresAt, createdAt: new Date(now) }, { transaction });
      return true;
    });
    if (!signedIn) throw new UnauthenticatedError('wrong username or password');
    return { token, expiresAt, role: user!.role };
  }

  // Throws RATE_LIMITED while the username has `maxFailures` failures inside the window.
  private async requireNotThrottled(username: string, now: number, transaction?: Transaction): Promise<void> {
    const since = new Date(now - this.policy.failureWindowSeconds * 1000);
    const failures = await this.db.models.LoginFailure.findAll({
      where: { username, at: { [Op.gte]: since } }, order: [['at', 'ASC']], limit: this.policy.maxFailures, transaction,
    });
    if (failures.length >= this.policy.maxFailures) {
      const retryAfter = Math.max(1, (failures[0]!.at.getTime() + this.policy.failureWindowSeconds * 1000 - now) / 1000);
      throw new RateLimitedError('too many failed sign-ins; try again later', retryAfter);
    }
  }

  /** Resolves a bearer token to its user, or throws UNAUTHENTICATED. */
  async authenticate(token: string): Promise<AuthUser> {
    const { ApiToken, User } = this.db.models;
    const row = await ApiToken.findOne({ where: { tokenHash: sha256Hex(token) } });
    if (!row || row.expiresAt.getTime() <= this.clock.now()) throw new UnauthenticatedError('token is invalid or expired');
    const user = await User.findByPk(row.userId);
    if (!user) throw new UnauthenticatedError('token is invalid or expired');
    return { id: user.id, username: user.username, role: user.role };
  }

  /** Revokes a bearer or session token (signing out); unknown tokens are ignored. */
  async signOut(token: string): Promise<void> {
    const { ApiToken } = this.db.models;
    await this.db.write((transaction) => ApiToken.destroy({ where: { tokenHash: sha256Hex(token) }, transaction }));
  }

  /** Lists admin users (never their hashes). */
  async listUsers(): Promise<{ id: number; username: string; role: Role; createdAt: Date }[]> {
    const rows = await this.db.models.User.findAll({ order: [['id', 'ASC']] });
    return rows.map((u) => ({ id: u.id, username: u.username, role: u.role, createdAt: u.createdAt }));
  }
}
