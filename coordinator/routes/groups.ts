import { GroupInput, GroupPatch } from '../../shared/schemas/group.js';
import { GroupView } from '../../shared/schemas/policy-views.js';
import type { GroupService } from '../services/group-service.js';
import { crudRoutes } from './crud-routes.js';

/** CRUD of static and smart computer groups. */
export function groupRoutes(groups: GroupService) {
  return crudRoutes({
    base: '/api/v1/groups', tag: 'policies', noun: 'group', service: groups,
    input: GroupInput, patch: GroupPatch, view: GroupView, bodyLimit: 2 * 1024 * 1024,
    summaries: {
      list: 'List groups with member counts',
      create: 'Create a static or smart group (cycles and bad criteria refused)',
      remove: 'Delete a group nothing refers to',
    },
  });
}
