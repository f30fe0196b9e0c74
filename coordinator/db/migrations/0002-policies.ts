import { DataTypes, type QueryInterface } from 'sequelize';

const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true };
const at = { type: DataTypes.DATE, allowNull: false };
const ref = (model: string) => ({ type: DataTypes.INTEGER, allowNull: false, references: { model, key: 'id' }, onDelete: 'CASCADE' });

/** Policies: scripts, computer groups and their members, policies, policy run logs, and per-computer bundle serials. */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('scripts', {
    id,
    name: { type: DataTypes.STRING(200), allowNull: false, unique: true },
    // JSON of ScriptInput minus the name: content, parameter labels, timeout, secret parameter indexes.
    definition: { type: DataTypes.TEXT, allowNull: false },
    created_at: at,
    updated_at: at,
  });
  await qi.createTable('computer_groups', {
    id,
    name: { type: DataTypes.STRING(200), allowNull: false, unique: true },
    kind: { type: DataTypes.STRING(10), allowNull: false },
    criteria: { type: DataTypes.TEXT, allowNull: true },
    created_at: at,
    updated_at: at,
  });
  // Static groups: the admin's list; smart groups: the computed members, kept current on inventory change.
  await qi.createTable('group_members', {
    group_id: { ...ref('computer_groups'), primaryKey: true },
    computer_id: { ...ref('computers'), primaryKey: true },
  });
  await qi.addIndex('group_members', ['computer_id']);
  await qi.createTable('policies', {
    id,
    name: { type: DataTypes.STRING(200), allowNull: false, unique: true },
    // JSON of PolicyInput minus the name.
    definition: { type: DataTypes.TEXT, allowNull: false },
    created_at: at,
    updated_at: at,
  });
  await qi.createTable('policy_logs', {
    id,
    policy_id: ref('policies'),
    computer_id: ref('computers'),
    idempotency_key: { type: DataTypes.STRING(100), allowNull: false },
    trigger: { type: DataTypes.STRING(120), allowNull: false },
    username: { type: DataTypes.STRING(255), allowNull: true },
    status: { type: DataTypes.STRING(10), allowNull: false },
    started_at: at,
    finished_at: at,
    items: { type: DataTypes.TEXT, allowNull: false },
    flushed_at: { type: DataTypes.DATE, allowNull: true },
  });
  await qi.addIndex('policy_logs', ['computer_id', 'idempotency_key'], { unique: true });
  await qi.addIndex('policy_logs', ['policy_id', 'finished_at']);
  await qi.addIndex('policy_logs', ['computer_id', 'finished_at']);
  // Bumped whenever this computer's memberships or policy logs change, so its cached bundle is rebuilt.
  await qi.addColumn('computers', 'bundle_serial', { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });
}

/** Drops everything this migration created. */
export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.removeColumn('computers', 'bundle_serial');
  for (const t of ['policy_logs', 'policies', 'group_members', 'computer_groups', 'scripts']) await qi.dropTable(t);
}
