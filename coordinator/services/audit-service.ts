import type { Clock } from '../../shared/clock.js';
import type { Database } from '../db/database.js';

// Policy script `parameters` may be secret by the script's own marks, which the audit log cannot see.
const SECRET_KEYS = /pass(word)?|token|secret|key|csr|script|parameters/i;

/** Copies a request body for the audit log with secrets and bulky fields replaced. */
function redact(value: unknown, depth = 0): unknown {
  if (depth > 4) return '…';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1)]));
  }
  return typeof value === 'string' && value.length > 200 ? `${value.slice(0, 200)}…` : value;
}

/** Records every admin write: who, what, outcome. */
export class AuditService {
  constructor(private readonly db: Database, private readonly clock: Clock) {}

  /** Appends one entry; secrets in `details` are redacted. */
  async record(username: string, action: string, status: number, details: unknown): Promise<void> {
    await this.db.write((transaction) => this.db.models.Audit.create({
      at: new Date(this.clock.now()), username, action, status, details: JSON.stringify(redact(details) ?? null),
    }, { transaction }));
  }

  /** Newest entries first. */
  async list(page: number, perPage: number) {
    const { rows, count } = await this.db.models.Audit.findAndCountAll({ order: [['id', 'DESC']], offset: (page - 1) * perPage, limit: perPage });
    return {
      items: rows.map((r) => ({ id: r.id, at: r.at.toISOString(), username: r.username, action: r.action, status: r.status, details: JSON.parse(r.details) as unknown })),
      total: count,
    };
  }
}
