import { DataTypes, type QueryInterface } from 'sequelize';

const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true };
const at = { type: DataTypes.DATE, allowNull: false };

/** First schema: admin users and tokens, enrollment, computers, inventory history, extension attributes, audit log. */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('users', {
    id,
    username: { type: DataTypes.STRING(100), allowNull: false, unique: true },
    password_hash: { type: DataTypes.STRING(300), allowNull: false },
    role: { type: DataTypes.STRING(20), allowNull: false },
    created_at: at,
  });
  await qi.createTable('api_tokens', {
    id,
    token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    user_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' },
    expires_at: at,
    created_at: at,
  });
  await qi.createTable('login_failures', {
    id,
    username: { type: DataTypes.STRING(100), allowNull: false },
    ip: { type: DataTypes.STRING(64), allowNull: false },
    at,
  });
  await qi.addIndex('login_failures', ['username', 'at']);
  await qi.createTable('enrollment_tokens', {
    id,
    token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    uses: { type: DataTypes.INTEGER, allowNull: false },
    used: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    expires_at: at,
    created_by: { type: DataTypes.STRING(100), allowNull: false },
    created_at: at,
  });
  await qi.createTable('computers', {
    id,
    uuid: { type: DataTypes.STRING(36), allowNull: false, unique: true },
    name: { type: DataTypes.STRING(255), allowNull: false, defaultValue: '' },
    serial: { type: DataTypes.STRING(255), allowNull: false, defaultValue: '' },
    model: { type: DataTypes.STRING(255), allowNull: false, defaultValue: '' },
    os_name: { type: DataTypes.STRING(255), allowNull: false, defaultValue: '' },
    os_version: { type: DataTypes.STRING(255), allowNull: false, defaultValue: '' },
    ip_address: { type: DataTypes.STRING(64), allowNull: false, defaultValue: '' },
    username: { type: DataTypes.STRING(255), allowNull: false, defaultValue: '' },
    cert_serial: { type: DataTypes.STRING(64), allowNull: false },
    cert_not_after: at,
    status: { type: DataTypes.STRING(20), allowNull: false },
    checkin_interval_seconds: { type: DataTypes.INTEGER, allowNull: false },
    checkin_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    last_checkin_at: { type: DataTypes.DATE, allowNull: true },
    last_inventory_at: { type: DataTypes.DATE, allowNull: true },
    inventory: { type: DataTypes.TEXT, allowNull: true },
    enrolled_at: at,
  });
  for (const col of ['name', 'serial', 'cert_serial', 'last_checkin_at']) await qi.addIndex('computers', [col]);
  await qi.createTable('computer_history', {
    id,
    computer_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'computers', key: 'id' }, onDelete: 'CASCADE' },
    at,
    kind: { type: DataTypes.STRING(40), allowNull: false },
    summary: { type: DataTypes.STRING(1000), allowNull: false },
  });
  await qi.addIndex('computer_history', ['computer_id', 'at']);
  await qi.createTable('extension_attributes', {
    id,
    name: { type: DataTypes.STRING(200), allowNull: false, unique: true },
    description: { type: DataTypes.STRING(1000), allowNull: false, defaultValue: '' },
    data_type: { type: DataTypes.STRING(20), allowNull: false },
    script: { type: DataTypes.TEXT, allowNull: false },
    enabled: { type: DataTypes.BOOLEAN, allowNull: false },
    created_at: at,
    updated_at: at,
  });
  await qi.createTable('audit_log', {
    id,
    at,
    username: { type: DataTypes.STRING(100), allowNull: false },
    action: { type: DataTypes.STRING(300), allowNull: false },
    status: { type: DataTypes.INTEGER, allowNull: false },
    details: { type: DataTypes.TEXT, allowNull: false },
  });
  await qi.addIndex('audit_log', ['at']);
  await qi.createTable('settings', {
    key: { type: DataTypes.STRING(100), primaryKey: true },
    value: { type: DataTypes.TEXT, allowNull: false },
  });
}

/** Drops everything the first migration created. */
export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const t of ['settings', 'audit_log', 'extension_attributes', 'computer_history', 'computers',
    'enrollment_tokens', 'login_failures', 'api_tokens', 'users']) await qi.dropTable(t);
}
