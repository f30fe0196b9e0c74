import { DataTypes, type QueryInterface } from 'sequelize';

/** Uploaded packages (signed manifest JSON per row, read by the node catalog too) and the last revision given to each name. */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('packages', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    name: { type: DataTypes.STRING(200), allowNull: false },
    version: { type: DataTypes.STRING(64), allowNull: false },
    revision: { type: DataTypes.BIGINT, allowNull: false },
    digest: { type: DataTypes.STRING(71), allowNull: false },
    size: { type: DataTypes.BIGINT, allowNull: false },
    chunk_count: { type: DataTypes.INTEGER, allowNull: false },
    bytes_new: { type: DataTypes.BIGINT, allowNull: false },
    manifest: { type: DataTypes.TEXT, allowNull: false },
    signature: { type: DataTypes.STRING(100), allowNull: false },
    uploaded_by: { type: DataTypes.STRING(100), allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('packages', ['name', 'revision'], { unique: true });
  // Outlives deleted packages, so a re-upload never reuses a revision agents have seen.
  await qi.createTable('package_revisions', {
    name: { type: DataTypes.STRING(200), primaryKey: true },
    revision: { type: DataTypes.BIGINT, allowNull: false },
  });
}

/** Drops the package tables. */
export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const t of ['package_revisions', 'packages']) await qi.dropTable(t);
}
