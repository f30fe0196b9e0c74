import type { KeyObject } from 'node:crypto';
import { publicKeyFromPem } from '../../shared/signing.js';
import type { EnrolledDevices } from '../checkins/fleet-enrollment.js';
import { computerAddress, type BuildingPlan } from '../processes/buildings.js';

/** One enrolled virtual agent: which building it sits in, the address its sockets bind to, and its device certificate. */
export interface VirtualAgent { index: number; building: number; address: string; computerId: number; uuid: string; certPem: string }

/** What every virtual agent shares: one private key (the coordinator signed a distinct certificate per device) and the keys it pins. */
export interface FleetTrust { keyPem: string; caPem: string; onlineKey: KeyObject; packageKey: KeyObject }

/** A fleet enrolled through the real enrollment route, placed in buildings. */
export interface VirtualFleet { agents: VirtualAgent[]; trust: FleetTrust }

/** Places enrolled devices round-robin in `buildings`, each on an address of its own there. */
export function placeFleet(enrolled: EnrolledDevices, caPem: string, buildings: readonly BuildingPlan[]): VirtualFleet {
  const agents = enrolled.uuids.map((uuid, index) => {
    const building = index % buildings.length;
    return {
      index, building, address: computerAddress(buildings[building]!, Math.floor(index / buildings.length)),
      computerId: enrolled.computerIds[index]!, uuid, certPem: enrolled.certPems[index]!,
    };
  });
  return { agents, trust: { keyPem: enrolled.keyPem, caPem, onlineKey: publicKeyFromPem(enrolled.onlinePublicKey), packageKey: publicKeyFromPem(enrolled.packagePublicKey) } };
}
