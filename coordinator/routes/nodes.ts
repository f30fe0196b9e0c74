import { IdParam, PageQuery } from '../../shared/schemas/common.js';
import {
  DesiredPackageList, DeviceCertificateParams, DeviceCertificateStatus, MeshPeerList, NodeCreate, NodeCreated, NodeHeartbeat,
  NodeHeartbeatResponse, NodeJoinRequest, NodeJoinResponse, NodeList, NodePackageList, NodeView, PackageTrafficList, PinCreate, PinParams,
} from '../../shared/schemas/nodes.js';
import { route } from '../http/define-route.js';
import type { NodeService } from '../nodes/node-service.js';
import type { OriginSeeder } from '../nodes/origin-seeder.js';
import type { TrafficLedger } from '../nodes/traffic-ledger.js';
import type { ComputerService } from '../services/computer-service.js';

/** Admin management of distribution nodes, and the node-facing API (join, heartbeat, peers, desired content, device checks). */
export function nodeRoutes(nodes: NodeService, traffic: TrafficLedger, computers: ComputerService, origin: () => OriginSeeder | undefined) {
  return [
    route({
      method: 'post', path: '/api/v1/nodes', access: 'write', tag: 'nodes', summary: 'Create a node and its one-time join token',
      body: NodeCreate, response: NodeCreated, status: 201,
      handler: ({ body, user }) => nodes.create(body.name, body.segmentIds, body.expiresInSeconds, user!.username),
    }),
    route({
      method: 'get', path: '/api/v1/nodes', access: 'read', tag: 'nodes', summary: 'List nodes with their health (healthy, unhealthy, offline by missed heartbeats)',
      query: PageQuery, response: NodeList,
      handler: ({ query }) => nodes.list(query.page, query.perPage),
    }),
    route({
      method: 'get', path: '/api/v1/nodes/:id', access: 'read', tag: 'nodes', summary: 'One node',
      params: IdParam, response: NodeView,
      handler: ({ params }) => nodes.get(params.id),
    }),
    route({
      method: 'get', path: '/api/v1/nodes/:id/packages', access: 'read', tag: 'nodes', summary: 'Packages the node should hold now (policy scope and pins)',
      params: IdParam, response: NodePackageList,
      handler: async ({ params }) => {
        const [desired, node] = await Promise.all([nodes.desiredOf(params.id), nodes.get(params.id)]);
        const items = desired.map(({ packageId, manifest: { manifest: m }, holders }) => ({
          packageId, name: m.name, version: m.version, revision: m.revision, size: m.payload.size, pinned: node.pins.includes(packageId), holders: holders.length,
        }));
        return { items, total: items.length };
      },
    }),
    route({
      method: 'delete', path: '/api/v1/nodes/:id', access: 'write', tag: 'nodes', summary: 'Revoke a node: its certificate and PeerId stop working', status: 204,
      params: IdParam,
      handler: ({ params }) => nodes.revoke(params.id),
    }),
    route({
      method: 'post', path: '/api/v1/nodes/:id/pins', access: 'write', tag: 'nodes', summary: 'Pin a package to a node', status: 201,
      params: IdParam, body: PinCreate,
      handler: ({ params, body }) => nodes.pin(params.id, body.packageId),
    }),
    route({
      method: 'delete', path: '/api/v1/nodes/:id/pins/:packageId', access: 'write', tag: 'nodes', summary: 'Unpin a package', status: 204,
      params: PinParams,
      handler: ({ params }) => nodes.unpin(params.id, params.packageId),
    }),
    route({
      method: 'get', path: '/api/v1/distribution/traffic', access: 'read', tag: 'nodes', summary: 'Bytes per package by source: origin, node-to-node, to agents',
      response: PackageTrafficList,
      handler: () => traffic.list(),
    }),
    route({
      method: 'post', path: '/node/v1/join', access: 'public', tag: 'node', summary: 'Trade a join token and a CSR for a node certificate; register the PeerId',
      body: NodeJoinRequest, response: NodeJoinResponse, status: 201, bodyLimit: 32_768,
      handler: ({ body }) => nodes.join(body),
    }),
    route({
      method: 'post', path: '/node/v1/heartbeat', access: 'node', tag: 'node', summary: 'Report health, addresses and bytes moved',
      body: NodeHeartbeat, response: NodeHeartbeatResponse, bodyLimit: 2 * 1024 * 1024,
      handler: async ({ body, node }) => {
        traffic.addNodeReport(node!.id, body.traffic);
        return nodes.heartbeat(node!, body);
      },
    }),
    route({
      method: 'get', path: '/node/v1/peers', access: 'node', tag: 'node', summary: 'Mesh peers this node may connect to (live nodes and the origin)',
      response: MeshPeerList,
      handler: async ({ node }) => {
        const items = await nodes.peers(node!, origin()?.peer());
        return { items, total: items.length };
      },
    }),
    route({
      method: 'get', path: '/node/v1/desired', access: 'node', tag: 'node', summary: 'Packages this node should hold, with their signed manifests',
      response: DesiredPackageList,
      handler: async ({ node }) => {
        const items = await nodes.desiredFor(node!);
        return { items, total: items.length };
      },
    }),
    route({
      method: 'get', path: '/node/v1/devices/:uuid/certificates/:serial', access: 'node', tag: 'node', summary: 'Whether a device certificate is current',
      params: DeviceCertificateParams, response: DeviceCertificateStatus,
      handler: async ({ params }) => ({ active: Boolean(await computers.findActiveByCertificate(params.uuid, params.serial)) }),
    }),
  ];
}
