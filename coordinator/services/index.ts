import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { CoordinatorConfig } from '../config.js';
import type { Database } from '../db/database.js';
import type { KeyMaterial } from '../pki/key-material.js';
import { AuditService } from './audit-service.js';
import { AuthService } from './auth-service.js';
import { BundleBuilder } from './bundle-builder.js';
import { CheckinRecorder } from './checkin-recorder.js';
import { CheckinService } from './checkin-service.js';
import { ComputerService } from './computer-service.js';
import { EnrollmentService } from './enrollment-service.js';
import { ExtensionAttributeService } from './extension-attribute-service.js';
import { InventoryService } from './inventory-service.js';

/** Every coordinator service, wired to one database, key set and clock. */
export type Services = ReturnType<typeof createServices>;

/** Builds the coordinator's services (the composition root shared by the server, tests and simulations). */
export function createServices(deps: { db: Database; keys: KeyMaterial; clock: Clock; logger: Logger; config: CoordinatorConfig; coordinatorUrls: string[] }) {
  const { db, keys, clock, logger, config } = deps;
  const computers = new ComputerService(db, clock);
  const bundles = new BundleBuilder(
    async () => ({ extensionAttributes: await extensionAttributes.enabledForAgents() }),
    keys.onlineKey, clock, config.inventoryIntervalSeconds,
  );
  const extensionAttributes: ExtensionAttributeService = new ExtensionAttributeService(db, clock, () => bundles.invalidate());
  const recorder = new CheckinRecorder(db, logger);
  return {
    auth: new AuthService(db, clock),
    audit: new AuditService(db, clock),
    computers,
    bundles,
    extensionAttributes,
    recorder,
    checkins: new CheckinService(bundles, recorder, clock, config.inventoryIntervalSeconds),
    inventory: new InventoryService(db, clock, computers),
    enrollment: new EnrollmentService(db, clock, keys, computers, {
      coordinatorUrls: deps.coordinatorUrls, checkinIntervalSeconds: config.checkinIntervalSeconds, certificateDays: config.certificateDays,
    }),
  };
}
