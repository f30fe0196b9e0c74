import type { QueryInterface } from 'sequelize';
import * as initial from './0001-initial.js';
import * as policies from './0002-policies.js';

type Step = (params: { context: QueryInterface }) => Promise<void>;

/** Every migration in order; add new ones at the end, never edit a released one. */
export const MIGRATIONS: { name: string; up: Step; down: Step }[] = [
  { name: '0001-initial', ...initial },
  { name: '0002-policies', ...policies },
];
