import { DataTypes, type QueryInterface } from 'sequelize';

const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true };
const at = { type: DataTypes.DATE, allowNull: false };
const maybeAt = { type: DataTypes.DATE, allowNull: true };
const bytes = { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 };

/** Distribution nodes (join token, certificate, PeerId, heartbeats), admin pins, and per-package byte accounting. */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('nodes', {
    id,
    name: { type: DataTypes.STRING(200), allowNull: false },
    segment_ids: { type: DataTypes.TEXT, allowNull: false },
    status: { type: DataTypes.STRING(20), allowNull: false },
    token_hash: { type: DataTypes.STRING(64), allowNull: true, unique: true },
    token_expires_at: maybeAt,
    cert_serial: { type: DataTypes.STRING(64), allowNull: true },
    peer_id: { type: DataTypes.STRING(100), allowNull: true, unique: true },
    addrs: { type: DataTypes.TEXT, allowNull: false },
    http_url: { type: DataTypes.STRING(300), allowNull: true },
    health: { type: DataTypes.TEXT, allowNull: true },
    last_heartbeat_at: maybeAt,
    created_by: { type: DataTypes.STRING(100), allowNull: false },
    created_at: at,
    joined_at: maybeAt,
    revoked_at: maybeAt,
  });
  await qi.createTable('node_pins', {
    node_id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true, references: { model: 'nodes', key: 'id' }, onDelete: 'CASCADE' },
    package_id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
    created_at: at,
  });
  // node_id 0 is the origin; rows are counters incremented in place.
  await qi.createTable('package_traffic', {
    package_id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
    node_id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
    from_origin: bytes,
    from_peers: bytes,
    to_agents: bytes,
  });
}

/** Drops the node tables. */
export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const t of ['package_traffic', 'node_pins', 'nodes']) await qi.dropTable(t);
}
