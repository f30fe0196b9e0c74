import { createPublicKey } from 'node:crypto';
import type { Transaction } from 'sequelize';
import type { Clock } from '../../shared/clock.js';
import type { ChunkStore } from '../../shared/content/chunk-store.js';
import type { Logger } from '../../shared/logger.js';
import type { CoordinatorConfig } from '../config.js';
import type { Database } from '../db/database.js';
import { VersionStamps } from '../db/version-stamps.js';
import { PolicyDesiredContent } from '../nodes/desired-content.js';
import { NodeService } from '../nodes/node-service.js';
import { SqlPackageCatalog, type PackageCatalog } from '../nodes/package-catalog.js';
import { TrafficLedger } from '../nodes/traffic-ledger.js';
import { PackageService } from '../packages/package-service.js';
import { loadChainInputs } from '../segments/chain-inputs.js';
import { explainDistribution } from '../segments/explain-distribution.js';
import { SegmentAssigner } from '../segments/segment-assigner.js';
import { SegmentDirectory } from '../segments/segment-directory.js';
import { SegmentService } from '../segments/segment-service.js';
import { SegmentTrafficService } from '../segments/segment-traffic.js';
import type { KeyMaterial } from '../pki/key-material.js';
import { AuditService } from './audit-service.js';
import { AuthService } from './auth-service.js';
import { CertificateRenewalService } from './certificate-renewal-service.js';
import { BundleBuilder } from './bundle-builder.js';
import { CheckinRecorder } from './checkin-recorder.js';
import { CheckinService } from './checkin-service.js';
import { ComputerService } from './computer-service.js';
import { EnrollmentService } from './enrollment-service.js';
import { ExplainService } from './explain-service.js';
import { ExtensionAttributeService } from './extension-attribute-service.js';
import { GroupService } from './group-service.js';
import { InventoryService } from './inventory-service.js';
import { MembershipService } from './membership-service.js';
import { PasswordEscrowService } from './password-escrow-service.js';
import { fleetPolicies, personalPolicies } from './policy-bundle.js';
import { PolicyLogService } from './policy-log-service.js';
import { PolicyService } from './policy-service.js';
import { ScriptService } from './script-service.js';
import { dataDirSecretKey, SecretBox } from './secret-box.js';
import { StatsService } from './stats-service.js';

/** Every coordinator service, wired to one database, key set and clock. */
export type Services = ReturnType<typeof createServices>;

/** Builds the coordinator's services (the composition root shared by the server, tests and simulations). */
export function createServices(deps: {
  db: Database; keys: KeyMaterial; clock: Clock; logger: Logger; config: CoordinatorConfig; coordinatorUrls: string[];
  /** The origin's chunk store, where uploads put package chunks. */
  originStore: ChunkStore;
  /** Where node desired content finds signed manifests (default: the packages table). */
  packageCatalog?: PackageCatalog;
  /** Called with bytes counted by the distribution traffic ledger (metrics). */
  onTraffic?: (source: 'origin' | 'peers' | 'agents', bytes: number) => void;
}) {
  const { db, keys, clock, logger, config } = deps;
  const computers = new ComputerService(db, clock);
  const stamps = new VersionStamps(db);
  const memberships = new MembershipService(db, stamps);
  const invalidate = async (transaction: Transaction) => { await stamps.bump('fleet', transaction); };
  const policies: PolicyService = new PolicyService(db, clock, invalidate, () => scripts.all());
  const scripts: ScriptService = new ScriptService(db, clock, (id) => policies.usingScript(id), invalidate);
  const groups = new GroupService(db, clock, memberships, (id) => policies.usingGroup(id));
  const policyLogs = new PolicyLogService(db, clock, () => scripts.all());
  const extensionAttributes = new ExtensionAttributeService(db, clock, invalidate);
  const packages = new PackageService({
    db, clock, store: deps.originStore, packageKey: keys.packageKey, onChange: invalidate,
    limits: { maxPayloadBytes: config.maxPackageBytes, maxEntries: config.maxPackageEntries },
    usedBy: async (id) => (await policies.all()).filter((p) => p.payloads.some((x) => x.type === 'package' && x.packageId === id)).map((p) => p.name),
  });
  const segments = new SegmentService(db, clock, async (transaction) => { directory.invalidate(); await invalidate(transaction); }, (id) => policies.usingSegment(id));
  const directory = new SegmentDirectory(async () => ({ rows: await segments.all(), useReportedAddresses: (await segments.settings()).useReportedAddresses }), clock);
  const chainInputs = () => loadChainInputs(db, directory, clock.now(), config.nodeHeartbeatSeconds, deps.coordinatorUrls[0]!);
  const bundles: BundleBuilder = new BundleBuilder(
    async () => {
      const [eas, all, byId, names, distribution] = await Promise.all([
        extensionAttributes.enabledForAgents(), policies.all(), scripts.all(), packages.names(), chainInputs(),
      ]);
      return { extensionAttributes: eas, policies: fleetPolicies(all, byId, clock.now(), (id) => names.get(id) ?? ''), distribution };
    },
    () => stamps.read('fleet'),
    (computer, inputs) => personalPolicies(computer, inputs.policies, {
      groupIdsOf: (id) => memberships.groupIdsOf(id), recentRuns: (id) => policyLogs.recentRuns(id),
    }),
    keys.onlineKey, clock, config.inventoryIntervalSeconds,
  );
  const recorder = new CheckinRecorder(db, logger);
  const assigner = new SegmentAssigner(db, directory, (computer, transaction) => memberships.recalculate(computer, transaction));
  const nodes = new NodeService(
    db, clock, keys, new PolicyDesiredContent(db, () => policies.all()),
    deps.packageCatalog ?? new SqlPackageCatalog(db, createPublicKey(keys.packagePublicPem)),
    { heartbeatSeconds: config.nodeHeartbeatSeconds, certificateDays: config.certificateDays },
  );
  return {
    nodes,
    packages,
    traffic: new TrafficLedger(db, deps.onTraffic),
    auth: new AuthService(db, clock),
    audit: new AuditService(db, clock),
    computers,
    bundles,
    extensionAttributes,
    scripts,
    groups,
    policies,
    policyLogs,
    explain: new ExplainService(db, clock, policies, groups, memberships, async (id) => explainDistribution(id, await chainInputs())),
    segments,
    segmentTraffic: new SegmentTrafficService(db, directory),
    /** The chain (and left-out nodes) devices of a segment get now. */
    distributionOf: async (segmentId: number) => explainDistribution(segmentId, await chainInputs()),
    recorder,
    stats: new StatsService(db, clock, recorder.perMinute),
    checkins: new CheckinService(bundles, recorder, clock, config.inventoryIntervalSeconds, (computer, ip) => assigner.assign(computer, ip)),
    inventory: new InventoryService(db, clock, computers, memberships),
    passwordEscrow: new PasswordEscrowService(db, clock, new SecretBox(dataDirSecretKey(config.dataDir)), computers),
    certificateRenewal: new CertificateRenewalService(db, keys, computers, config.certificateDays),
    enrollment: new EnrollmentService(db, clock, keys, computers, {
      coordinatorUrls: deps.coordinatorUrls, checkinIntervalSeconds: config.checkinIntervalSeconds, certificateDays: config.certificateDays,
    }),
  };
}
