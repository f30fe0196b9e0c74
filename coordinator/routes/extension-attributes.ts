import { IdParam, listOf } from '../../shared/schemas/common.js';
import { ExtensionAttribute, ExtensionAttributeInput } from '../../shared/schemas/extension-attributes.js';
import { route } from '../http/define-route.js';
import type { ExtensionAttributeService } from '../services/extension-attribute-service.js';

const BODY_LIMIT = 256 * 1024;

/** CRUD of script-based extension attributes. */
export function extensionAttributeRoutes(eas: ExtensionAttributeService) {
  const base = '/api/v1/extension-attributes';
  return [
    route({ method: 'get', path: base, access: 'read', tag: 'inventory', summary: 'List extension attributes', response: listOf(ExtensionAttribute), handler: () => eas.list() }),
    route({ method: 'get', path: `${base}/:id`, access: 'read', tag: 'inventory', summary: 'One extension attribute', params: IdParam, response: ExtensionAttribute, handler: ({ params }) => eas.get(params.id) }),
    route({ method: 'post', path: base, access: 'write', tag: 'inventory', summary: 'Create an extension attribute', body: ExtensionAttributeInput, response: ExtensionAttribute, status: 201, bodyLimit: BODY_LIMIT, handler: ({ body }) => eas.create(body) }),
    route({ method: 'put', path: `${base}/:id`, access: 'write', tag: 'inventory', summary: 'Replace an extension attribute', params: IdParam, body: ExtensionAttributeInput, response: ExtensionAttribute, bodyLimit: BODY_LIMIT, handler: ({ params, body }) => eas.update(params.id, body) }),
    route({ method: 'delete', path: `${base}/:id`, access: 'write', tag: 'inventory', summary: 'Delete an extension attribute', params: IdParam, status: 204, handler: ({ params }) => eas.remove(params.id) }),
  ];
}
