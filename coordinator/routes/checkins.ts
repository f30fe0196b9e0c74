import { CheckinRequest, CheckinResponse } from '../../shared/schemas/checkin.js';
import { IdParam } from '../../shared/schemas/common.js';
import { route } from '../http/define-route.js';
import type { Metrics } from '../metrics.js';
import type { CheckinService } from '../services/checkin-service.js';
import { requireOwnComputer } from './device-owner.js';

/** Device check-in (client: agent/coordinator-client.ts). */
export function checkinRoutes(checkins: CheckinService, metrics: Metrics) {
  return [
    route({
      method: 'post', path: '/device/v1/computers/:id/checkins', access: 'device', tag: 'device', summary: 'Check in; get the signed bundle or not-modified',
      params: IdParam, body: CheckinRequest, response: CheckinResponse, bodyLimit: 4096,
      handler: async ({ params, body, computer, ip }) => {
        const own = requireOwnComputer(computer, params.id);
        const answer = await checkins.checkin(own, body.etag, ip);
        metrics.checkins.inc({ result: answer.status });
        // An admin viewed this account's escrowed password (LAPS): rotate it now.
        return own.rotatePasswordFor ? { ...answer, rotatePassword: own.rotatePasswordFor } : answer;
      },
    }),
  ];
}
