import { IdParam } from '../../shared/schemas/common.js';
import { ComputerSummary } from '../../shared/schemas/computers.js';
import { InventoryReport } from '../../shared/schemas/inventory.js';
import { z } from '../../shared/schemas/zod.js';
import { route } from '../http/define-route.js';
import { computerSummary } from '../services/computer-service.js';
import type { InventoryService } from '../services/inventory-service.js';
import { requireOwnComputer } from './device-owner.js';

/** Device inventory reports (client: agent/coordinator-client.ts) and the device's view of itself. */
export function inventoryRoutes(inventory: InventoryService) {
  return [
    route({
      method: 'put', path: '/device/v1/computers/:id/inventory', access: 'device', tag: 'device', summary: 'Report full inventory or changed sections',
      params: IdParam, body: InventoryReport, response: z.object({ changed: z.array(z.string()) }), bodyLimit: 8 * 1024 * 1024,
      handler: async ({ params, body, computer }) => ({ changed: await inventory.apply(requireOwnComputer(computer, params.id), body) }),
    }),
    route({
      method: 'get', path: '/device/v1/computers/:id', access: 'device', tag: 'device', summary: 'The device\'s own record',
      params: IdParam, response: ComputerSummary,
      handler: async ({ params, computer }) => computerSummary(requireOwnComputer(computer, params.id)),
    }),
  ];
}
