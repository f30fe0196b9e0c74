import { literal, Op, type Transaction, type WhereOptions } from 'sequelize';
import type { Clock } from '../../shared/clock.js';
import { NotFoundError } from '../../shared/errors.js';
import type { z } from '../../shared/schemas/zod.js';
import type { ComputerListQuery } from '../../shared/schemas/computers.js';
import type { Database } from '../db/database.js';
import type { ComputerRow } from '../db/models/computers.js';
import type { RowLookup } from '../db/row-lookup.js';

type ListQuery = z.infer<typeof ComputerListQuery>;

const SEARCH_COLUMNS = ['name', 'serial', 'model', 'ip_address', 'username', 'os_version', 'uuid'];

/** Case-insensitive substring search in both dialects: wildcards in `q` are escaped with `!`, so text matches literally. */
function searchClause(db: Database, q: string) {
  const quoted = db.sequelize.escape(`%${q.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`);
  return { [Op.or]: SEARCH_COLUMNS.map((c) => literal(`LOWER(${c}) LIKE ${quoted} ESCAPE '!'`)) };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Computer as listed by the admin API. */
export function computerSummary(c: ComputerRow) {
  return {
    id: c.id, uuid: c.uuid, name: c.name, serial: c.serial, model: c.model, osName: c.osName, osVersion: c.osVersion,
    ipAddress: c.ipAddress, username: c.username, status: c.status, lastCheckinAt: iso(c.lastCheckinAt),
    lastInventoryAt: iso(c.lastInventoryAt), enrolledAt: c.enrolledAt.toISOString(), checkinCount: c.checkinCount,
  };
}

/** Reads and changes computer records: search, detail with history, unmanage (revocation). */
export class ComputerService {
  /** The check-in row by UUID (every device request reads it): a prepared statement, inventory left out. */
  private readonly byUuid: RowLookup<ComputerRow>;

  constructor(private readonly db: Database, private readonly clock: Clock) {
    this.byUuid = db.lookup<ComputerRow>(db.models.Computer, 'uuid', ['inventory']);
  }

  /** The managed computer holding this certificate, or undefined when unknown or revoked. */
  async findActiveByCertificate(uuid: string, serial: string): Promise<ComputerRow | undefined> {
    const row = await this.byUuid.get(uuid);
    if (!row || row.status !== 'managed' || row.certSerial !== serial) return undefined;
    return row;
  }

  /** Search (name, serial, model, IP, user, OS), allowlisted sort, paging. */
  async list(query: ListQuery) {
    const { Computer } = this.db.models;
    const where: WhereOptions<ComputerRow>[] = [];
    if (query.status) where.push({ status: query.status });
    if (query.q) where.push(searchClause(this.db, query.q));
    const { rows, count } = await Computer.findAndCountAll({
      where: { [Op.and]: where },
      order: [[query.sort, query.order.toUpperCase()], ['id', 'ASC']],
      offset: (query.page - 1) * query.perPage,
      limit: query.perPage,
      attributes: { exclude: ['inventory'] },
    });
    return { items: rows.map((r) => computerSummary(r)), total: count };
  }

  /** One computer with full inventory and history. */
  async get(id: number) {
    const { Computer, ComputerHistory } = this.db.models;
    const c = await Computer.findByPk(id);
    if (!c) throw new NotFoundError(`computer ${id}`);
    const history = await ComputerHistory.findAll({ where: { computerId: id }, order: [['id', 'DESC']], limit: 200 });
    return {
      ...computerSummary(c),
      certificateNotAfter: c.certNotAfter.toISOString(),
      checkinIntervalSeconds: c.checkinIntervalSeconds,
      inventory: c.inventory ? (JSON.parse(c.inventory) as unknown) : null,
      history: history.map((h) => ({ at: h.at.toISOString(), kind: h.kind, summary: h.summary })),
    };
  }

  /** Stops managing a computer: its certificate is refused from now on. */
  async unmanage(id: number): Promise<void> {
    await this.db.write(async (transaction) => {
      const c = await this.db.models.Computer.findByPk(id, { transaction });
      if (!c) throw new NotFoundError(`computer ${id}`);
      if (c.status === 'unmanaged') return;
      await c.update({ status: 'unmanaged' }, { transaction });
      await this.addHistory(id, 'unmanaged', `certificate ${c.certSerial} revoked`, transaction);
    });
  }

  /** Appends a history entry inside the caller's transaction. */
  async addHistory(computerId: number, kind: string, summary: string, transaction: Transaction): Promise<void> {
    await this.db.models.ComputerHistory.create({ computerId, at: new Date(this.clock.now()), kind, summary: summary.slice(0, 1000) }, { transaction });
  }
}
