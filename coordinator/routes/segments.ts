import { IdParam, listOf, PageQuery } from '../../shared/schemas/common.js';
import {
  DistributionExplanation, DownloadReport, NamedSegmentTraffic, Segment, SegmentInput, SegmentSettings, SegmentTraffic,
} from '../../shared/schemas/segment.js';
import { route } from '../http/define-route.js';
import type { SegmentService } from '../segments/segment-service.js';
import type { SegmentTrafficService } from '../segments/segment-traffic.js';
import { requireOwnComputer } from './device-owner.js';

/** CRUD of network segments, their chains and bytes-by-source views, and the device route agents report download sources on. */
export function segmentRoutes(segments: SegmentService, traffic: SegmentTrafficService, distributionOf: (segmentId: number) => Promise<DistributionExplanation>) {
  const base = '/api/v1/segments';
  const tag = 'segments';
  return [
    route({ method: 'get', path: '/api/v1/segment-settings', access: 'read', tag, summary: 'How devices are placed in segments', response: SegmentSettings, handler: () => segments.settings() }),
    route({ method: 'put', path: '/api/v1/segment-settings', access: 'write', tag, summary: 'Allow or forbid placing devices by the addresses they report', body: SegmentSettings, response: SegmentSettings, handler: ({ body }) => segments.updateSettings(body) }),
    route({ method: 'get', path: base, access: 'read', tag, summary: 'List segments', query: PageQuery, response: listOf(Segment), handler: ({ query }) => segments.list(query.page, query.perPage) }),
    route({ method: 'get', path: `${base}/:id`, access: 'read', tag, summary: 'One segment', params: IdParam, response: Segment, handler: ({ params }) => segments.get(params.id) }),
    route({ method: 'post', path: base, access: 'write', tag, summary: 'Create a segment', body: SegmentInput, response: Segment, status: 201, handler: ({ body }) => segments.create(body) }),
    route({ method: 'put', path: `${base}/:id`, access: 'write', tag, summary: 'Replace a segment', params: IdParam, body: SegmentInput, response: Segment, handler: ({ params, body }) => segments.update(params.id, body) }),
    route({ method: 'delete', path: `${base}/:id`, access: 'write', tag, summary: 'Delete a segment no policy names', params: IdParam, status: 204, handler: ({ params }) => segments.remove(params.id) }),
    route({
      method: 'get', path: `${base}/:id/traffic`, access: 'read', tag, summary: 'Bytes the segment\'s devices received, by source, and the share from its own nodes',
      params: IdParam, response: SegmentTraffic,
      handler: async ({ params }) => { await segments.get(params.id); return traffic.view(params.id); },
    }),
    route({
      method: 'get', path: `${base}/:id/chain`, access: 'read', tag, summary: 'The ordered sources a device in the segment downloads from now, and listed nodes left out with why',
      params: IdParam, response: DistributionExplanation,
      handler: async ({ params }) => { await segments.get(params.id); return distributionOf(params.id); },
    }),
    route({
      method: 'get', path: '/api/v1/segment-traffic', access: 'read', tag, summary: 'Bytes by source for a page of segments (the dashboard chart)',
      query: PageQuery, response: listOf(NamedSegmentTraffic),
      handler: async ({ query }) => {
        const page = await segments.list(query.page, query.perPage);
        const items = await Promise.all(page.items.map(async (s) => ({ ...(await traffic.view(s.id)), name: s.name })));
        return { items, total: page.total };
      },
    }),
    route({
      method: 'post', path: '/device/v1/computers/:id/downloads', access: 'device', tag: 'device', summary: 'Report the bytes each source delivered for one package',
      params: IdParam, body: DownloadReport, status: 204, bodyLimit: 8192,
      handler: async ({ params, body, computer }) => { await traffic.record(requireOwnComputer(computer, params.id), body); },
    }),
  ];
}
