import type { QueryInterface } from 'sequelize';
import * as initial from './0001-initial.js';
import * as policies from './0002-policies.js';
import * as nodes from './0003-nodes.js';
import * as management from './0004-management.js';
import * as packages from './0005-packages.js';
import * as segments from './0006-segments.js';

type Step = (params: { context: QueryInterface }) => Promise<void>;

/** Every migration in order; add new ones at the end, never edit a released one. */
export const MIGRATIONS: { name: string; up: Step; down: Step }[] = [
  { name: '0001-initial', ...initial },
  { name: '0002-policies', ...policies },
  { name: '0003-nodes', ...nodes },
  { name: '0004-management', ...management },
  { name: '0005-packages', ...packages },
  { name: '0006-segments', ...segments },
];
