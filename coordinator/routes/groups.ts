import { GroupInput, GroupPatch, GroupPreview, GroupPreviewInput } from '../../shared/schemas/group.js';
import { GroupView } from '../../shared/schemas/policy-views.js';
import { route } from '../http/define-route.js';
import type { GroupService } from '../services/group-service.js';
import { crudRoutes } from './crud-routes.js';

/** CRUD of static and smart computer groups, and the live member count of criteria being edited. */
export function groupRoutes(groups: GroupService) {
  return [
    route({
      method: 'post', path: '/api/v1/groups/preview', access: 'read', tag: 'policies',
      summary: 'How many computers smart-group criteria match now, and the first few (nothing is saved)',
      body: GroupPreviewInput, response: GroupPreview, bodyLimit: 256 * 1024,
      handler: ({ body }) => groups.preview(body),
    }),
    ...crudRoutes({
      base: '/api/v1/groups', tag: 'policies', noun: 'group', service: groups,
      input: GroupInput, patch: GroupPatch, view: GroupView, bodyLimit: 2 * 1024 * 1024,
      summaries: {
        list: 'List groups with member counts',
        create: 'Create a static or smart group (cycles and bad criteria refused)',
        remove: 'Delete a group nothing refers to',
      },
    }),
  ];
}
