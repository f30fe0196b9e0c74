import type { Model, ModelAttributes, ModelStatic, Optional, Sequelize } from 'sequelize';

/** A row model whose instances expose typed attributes. */
export type RowModel<A extends object, C extends object = A> = ModelStatic<Model<A, C> & A>;

/** Defines a model on one Sequelize instance (never a global class), snake_case columns, no implicit timestamps. */
export function defineModel<A extends object, K extends keyof A = never>(
  sequelize: Sequelize, name: string, table: string, attributes: ModelAttributes,
): RowModel<A, Optional<A, K>> {
  return sequelize.define(name, attributes, { tableName: table, underscored: true, timestamps: false }) as unknown as RowModel<A, Optional<A, K>>;
}
