import { apiCall, signedInAdminClient, type ApiClient } from '../processes/api-client.js';
import { AdminApi } from '../checkins/admin-api.js';
import { enrollFleet } from '../checkins/fleet-enrollment.js';
import type { CoordinatorAccess } from './devices.js';

/** How big a fleet `bench:checkin --fleet` puts behind the coordinator before measuring again. */
export interface FleetSize { computers: number; policies: number; groups: number }

/** What seeding made, and how long it took. */
export interface SeededFleet extends FleetSize { seconds: number; groupMembers: number }

async function created(api: ApiClient, path: string, body: unknown): Promise<number> {
  return (await apiCall<{ id: number }>(api, 'POST', path, body)).id;
}

/**
 * Enrolls `computers` devices (one shared key, a certificate each), then makes `groups` smart groups (by
 * name suffix, so each holds about 1/10 of the fleet) and `policies` check-in policies over one script,
 * scoped alternately to everyone, to one smart group, and to a group with another excluded: the
 * fleet-wide content each check-in's bundle is built from, at the size the policies issue names.
 */
export async function seedFleet(coordinator: CoordinatorAccess, size: FleetSize, log: (line: string) => void): Promise<SeededFleet> {
  const started = performance.now();
  const admin = await AdminApi.open(coordinator);
  const { api } = await signedInAdminClient(coordinator);
  try {
    await enrollFleet(coordinator, admin, size.computers, 16);
    log(`creating ${size.groups} smart groups and ${size.policies} policies`);
    const groupIds: number[] = [];
    for (let g = 0; g < size.groups; g++) {
      groupIds.push(await created(api, '/api/v1/groups', {
        kind: 'smart', name: `bench-group-${g}`, criteria: [{ field: 'computer.name', operator: 'like', value: `${g % 10}` }],
      }));
    }
    const scriptId = await created(api, '/api/v1/scripts', { name: 'bench-script', content: '#!/bin/sh\necho bench\n' });
    for (let p = 0; p < size.policies; p++) {
      const group = groupIds.length ? groupIds[p % groupIds.length]! : undefined;
      const scope = p % 3 === 0 || group === undefined ? { all: true }
        : p % 3 === 1 ? { groups: [group] }
          : { groups: [group], exclusions: { groups: [groupIds[(p + 1) % groupIds.length]!] } };
      await created(api, '/api/v1/policies', {
        name: `bench-policy-${p}`, enabled: true, triggers: ['checkin'], frequency: p % 2 ? 'ongoing' : 'once-per-computer',
        scope, payloads: [{ type: 'script', scriptId }],
      });
    }
    const first = groupIds[0] === undefined ? undefined : await api.api<{ memberCount: number }>('GET', `/api/v1/groups/${groupIds[0]}`);
    return { ...size, seconds: (performance.now() - started) / 1000, groupMembers: first?.body.memberCount ?? 0 };
  } finally {
    await api.close();
    await admin.close();
  }
}
