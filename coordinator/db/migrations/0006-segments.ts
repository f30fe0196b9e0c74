import { DataTypes, type QueryInterface } from 'sequelize';

const at = { type: DataTypes.DATE, allowNull: false };

/** Network segments, each computer's current segment, and bytes received per segment by source. */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('segments', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    name: { type: DataTypes.STRING(200), allowNull: false, unique: true },
    family: { type: DataTypes.INTEGER, allowNull: false },
    // Addresses as 32 hex digits, so ranges compare as text on every database.
    start_addr: { type: DataTypes.STRING(32), allowNull: false },
    end_addr: { type: DataTypes.STRING(32), allowNull: false },
    node_ids: { type: DataTypes.TEXT, allowNull: false },
    neighbour_ids: { type: DataTypes.TEXT, allowNull: false },
    created_at: at,
    updated_at: at,
  });
  await qi.addColumn('computers', 'segment_id', { type: DataTypes.INTEGER, allowNull: true });
  // node_id 0 is the origin; rows are counters incremented in place.
  await qi.createTable('segment_traffic', {
    segment_id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
    tier: { type: DataTypes.STRING(20), allowNull: false, primaryKey: true },
    node_id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
    bytes: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
  });
}

/** Drops the segment tables and column. */
export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('segment_traffic');
  await qi.removeColumn('computers', 'segment_id');
  await qi.dropTable('segments');
}
