import { DataTypes, type QueryInterface } from 'sequelize';

/** Escrowed account passwords (AES-256-GCM ciphertext only) and the per-computer "rotate this account" request. */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('escrowed_passwords', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    computer_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'computers', key: 'id' }, onDelete: 'CASCADE' },
    username: { type: DataTypes.STRING(32), allowNull: false },
    ciphertext: { type: DataTypes.TEXT, allowNull: false },
    escrowed_at: { type: DataTypes.DATE, allowNull: false },
    // Null while pending: the agent escrows before it sets the password, then confirms.
    confirmed_at: { type: DataTypes.DATE, allowNull: true },
  });
  await qi.addIndex('escrowed_passwords', ['computer_id', 'username', 'id']);
  // Set when an admin views a password; the next check-in answer asks the agent to rotate that account.
  await qi.addColumn('computers', 'rotate_password_for', { type: DataTypes.STRING(32), allowNull: true });
}

/** Drops what this migration created. */
export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.removeColumn('computers', 'rotate_password_for');
  await qi.dropTable('escrowed_passwords');
}
