import { Op } from 'sequelize';
import type { Clock } from '../../shared/clock.js';
import { NotFoundError } from '../../shared/errors.js';
import type { Database } from '../db/database.js';
import { managementModels } from '../db/models/management.js';
import type { ComputerService } from './computer-service.js';
import type { SecretBox } from './secret-box.js';

// Associated data: a ciphertext decrypts only for the computer, account and row it was written for.
const context = (computerId: number, username: string) => `escrowed-password:${computerId}:${username}`;

// Pending escrows older than the newest confirmed one, and confirmed ones it replaced, are kept this many per account.
const KEEP_PER_ACCOUNT = 5;

/** LAPS-style password escrow: agents escrow before setting and then confirm; admins view (audited) and so trigger rotation. */
export class PasswordEscrowService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly box: SecretBox,
    private readonly computers: ComputerService,
  ) {}

  /** Stores a password the agent is about to set, encrypted, as pending. */
  async escrow(computerId: number, username: string, password: string): Promise<{ escrowId: number }> {
    const ciphertext = await this.box.seal(password, context(computerId, username));
    const { EscrowedPassword } = managementModels(this.db);
    return this.db.write(async (transaction) => {
      const row = await EscrowedPassword.create({ computerId, username, ciphertext, escrowedAt: new Date(this.clock.now()) }, { transaction });
      return { escrowId: row.id };
    });
  }

  /** The agent set the escrowed password: it becomes current, older rows beyond the last few go, a rotation request for it is done. */
  async confirm(computerId: number, escrowId: number): Promise<void> {
    const { EscrowedPassword } = managementModels(this.db);
    await this.db.write(async (transaction) => {
      const row = await EscrowedPassword.findOne({ where: { id: escrowId, computerId }, transaction });
      if (!row) throw new NotFoundError(`escrowed password ${escrowId}`);
      if (row.confirmedAt) return;
      await row.update({ confirmedAt: new Date(this.clock.now()) }, { transaction });
      const keep = await EscrowedPassword.findAll({
        where: { computerId, username: row.username }, order: [['id', 'DESC']], limit: KEEP_PER_ACCOUNT, attributes: ['id'], transaction,
      });
      await EscrowedPassword.destroy({ where: { computerId, username: row.username, id: { [Op.notIn]: keep.map((k) => k.id) } }, transaction });
      await this.db.models.Computer.update({ rotatePasswordFor: null }, { where: { id: computerId, rotatePasswordFor: row.username }, transaction });
      await this.computers.addHistory(computerId, 'password-rotated', `password of ${row.username} rotated and escrowed`, transaction);
    });
  }

  /**
   * An admin's view of the current password of `username` (default: the account rotated last), plus a newer
   * unconfirmed one if any. Viewing asks the agent to rotate the account at its next check-in and is recorded in
   * the computer's history (the route's audit entry records who).
   */
  async view(computerId: number, viewer: string, username?: string) {
    const { EscrowedPassword } = managementModels(this.db);
    const confirmed = await EscrowedPassword.findOne({
      where: { computerId, confirmedAt: { [Op.ne]: null }, ...(username ? { username } : {}) }, order: [['id', 'DESC']],
    });
    if (!confirmed) throw new NotFoundError(`an escrowed password${username ? ` of ${username}` : ''} on computer ${computerId}`);
    const account = confirmed.username;
    const newer = await EscrowedPassword.findOne({
      where: { computerId, username: account, confirmedAt: null, id: { [Op.gt]: confirmed.id } }, order: [['id', 'DESC']],
    });
    const ctx = context(computerId, account);
    const view = {
      username: account,
      password: await this.box.open(confirmed.ciphertext, ctx),
      setAt: confirmed.confirmedAt!.toISOString(),
      unconfirmed: newer ? { password: await this.box.open(newer.ciphertext, ctx), escrowedAt: newer.escrowedAt.toISOString() } : null,
      rotationRequested: true,
    };
    await this.db.write(async (transaction) => {
      await this.db.models.Computer.update({ rotatePasswordFor: account }, { where: { id: computerId }, transaction });
      await this.computers.addHistory(computerId, 'password-viewed', `password of ${account} viewed by ${viewer}; rotation requested`, transaction);
    });
    return view;
  }
}
