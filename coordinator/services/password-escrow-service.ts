import { Op, type Transaction } from 'sequelize';
import type { Clock } from '../../shared/clock.js';
import { NotFoundError } from '../../shared/errors.js';
import type { Database } from '../db/database.js';
import { managementModels } from '../db/models/management.js';
import type { ComputerService } from './computer-service.js';
import type { SecretBox } from './secret-box.js';

// Associated data: a ciphertext decrypts only for the computer, account and row it was written for.
const context = (computerId: number, username: string) => `escrowed-password:${computerId}:${username}`;

// Rows kept per account besides the current (newest confirmed) one: recent pending ones and the passwords they replaced.
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
      await this.prune(computerId, username, transaction);
      return { escrowId: row.id };
    });
  }

  /** The agent set the escrowed password: it becomes current and a rotation request for the account is done. */
  async confirm(computerId: number, escrowId: number): Promise<void> {
    const { EscrowedPassword } = managementModels(this.db);
    await this.db.write(async (transaction) => {
      const row = await EscrowedPassword.findOne({ where: { id: escrowId, computerId }, transaction });
      if (!row) throw new NotFoundError(`escrowed password ${escrowId}`);
      if (row.confirmedAt) return;
      await row.update({ confirmedAt: new Date(this.clock.now()) }, { transaction });
      await this.prune(computerId, row.username, transaction);
      await this.db.models.Computer.update({ rotatePasswordFor: null }, { where: { id: computerId, rotatePasswordFor: row.username }, transaction });
      await this.computers.addHistory(computerId, 'password-rotated', `password of ${row.username} rotated and escrowed`, transaction);
    });
  }

  // Bounded history: the current password plus the newest few rows, however often an agent escrows without confirming.
  private async prune(computerId: number, username: string, transaction: Transaction): Promise<void> {
    const { EscrowedPassword } = managementModels(this.db);
    const where = { computerId, username };
    const [newest, current] = await Promise.all([
      EscrowedPassword.findAll({ where, order: [['id', 'DESC']], limit: KEEP_PER_ACCOUNT, attributes: ['id'], transaction }),
      EscrowedPassword.findOne({ where: { ...where, confirmedAt: { [Op.ne]: null } }, order: [['id', 'DESC']], attributes: ['id'], transaction }),
    ]);
    const keep = [...newest, ...(current ? [current] : [])].map((r) => r.id);
    await EscrowedPassword.destroy({ where: { ...where, id: { [Op.notIn]: keep } }, transaction });
  }

  /**
   * An admin's view of the current password of `username` (default: the account escrowed last), plus a newer
   * unconfirmed one if any (the agent may have set it without managing to confirm). Viewing asks the agent to
   * rotate the account at its next check-in and is recorded in the computer's history (the route's audit entry
   * records who).
   */
  async view(computerId: number, viewer: string, username?: string) {
    const { EscrowedPassword } = managementModels(this.db);
    const latest = await EscrowedPassword.findOne({ where: { computerId, ...(username ? { username } : {}) }, order: [['id', 'DESC']] });
    if (!latest) throw new NotFoundError(`an escrowed password${username ? ` of ${username}` : ''} on computer ${computerId}`);
    const account = latest.username;
    const confirmed = latest.confirmedAt ? latest : await EscrowedPassword.findOne({
      where: { computerId, username: account, confirmedAt: { [Op.ne]: null } }, order: [['id', 'DESC']],
    });
    const ctx = context(computerId, account);
    const view = {
      username: account,
      password: confirmed ? await this.box.open(confirmed.ciphertext, ctx) : null,
      setAt: confirmed?.confirmedAt?.toISOString() ?? null,
      unconfirmed: latest.confirmedAt ? null : { password: await this.box.open(latest.ciphertext, ctx), escrowedAt: latest.escrowedAt.toISOString() },
      rotationRequested: true,
    };
    await this.db.write(async (transaction) => {
      await this.db.models.Computer.update({ rotatePasswordFor: account }, { where: { id: computerId }, transaction });
      await this.computers.addHistory(computerId, 'password-viewed', `password of ${account} viewed by ${viewer}; rotation requested`, transaction);
    });
    return view;
  }
}
