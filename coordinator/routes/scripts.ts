import { Script, ScriptInput, ScriptPatch } from '../../shared/schemas/script.js';
import type { ScriptService } from '../services/script-service.js';
import { crudRoutes } from './crud-routes.js';

/** CRUD of policy scripts. */
export function scriptRoutes(scripts: ScriptService) {
  return crudRoutes({
    base: '/api/v1/scripts', tag: 'policies', noun: 'script', service: scripts,
    input: ScriptInput, patch: ScriptPatch, view: Script, bodyLimit: 1_200_000,
    summaries: { remove: 'Delete a script no policy uses' },
  });
}
