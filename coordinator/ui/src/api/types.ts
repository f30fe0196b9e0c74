// Wire types come from the shared zod schemas (type-only imports: nothing of zod reaches the bundle).
import type { z } from 'zod';
import type { AuditEntry, User } from '../../../../shared/schemas/auth.js';
import type { ComputerDetail, ComputerSummary } from '../../../../shared/schemas/computers.js';
import type { ExtensionAttribute, ExtensionAttributeInput } from '../../../../shared/schemas/extension-attributes.js';
import type { EnrollmentTokenResponse } from '../../../../shared/schemas/enrollment.js';
import type { Criterion, GroupInput, GroupPreview } from '../../../../shared/schemas/group.js';
import type { NodeCreated, NodePackage, NodeView } from '../../../../shared/schemas/nodes.js';
import type { PackageDetail, PackageStorage, PackageSummary } from '../../../../shared/schemas/package.js';
import type { DistributionExplanation, NamedSegmentTraffic, Segment, SegmentInput, SegmentTraffic, SourceTier } from '../../../../shared/schemas/segment.js';
import type { Inventory } from '../../../../shared/schemas/inventory.js';
import type { Payload, Policy, PolicyInput } from '../../../../shared/schemas/policy.js';
import type { Explanation, GroupView, PolicyLogEntry } from '../../../../shared/schemas/policy-views.js';
import type { Script, ScriptInput } from '../../../../shared/schemas/script.js';
import type { Session } from '../../../../shared/schemas/session.js';
import type { CheckinSeries, StatsSummary } from '../../../../shared/schemas/stats.js';

export type {
  CheckinSeries, Criterion, DistributionExplanation, GroupPreview, Inventory, NodeView, PackageDetail, PackageStorage, PackageSummary,
  Payload, Policy, Script, Segment, SegmentTraffic, Session, SourceTier, StatsSummary,
};
/** A segment as sent on create/replace. */
export type SegmentBody = z.input<typeof SegmentInput>;
/** Bytes by source of one segment, with its name. */
export type SegmentTrafficRow = z.infer<typeof NamedSegmentTraffic>;
/** A package a node should hold. */
export type NodeHolding = z.infer<typeof NodePackage>;
/** A new node with its one-time join token. */
export type NewNode = z.infer<typeof NodeCreated>;
/** A computer row of the list. */
export type Computer = z.infer<typeof ComputerSummary>;
/** A computer with inventory and history. */
export type ComputerFull = z.infer<typeof ComputerDetail>;
/** Scope explanation of one computer. */
export type ExplainAnswer = z.infer<typeof Explanation>;
/** A group with its member count. */
export type Group = z.infer<typeof GroupView>;
/** A group as sent on create/replace. */
export type GroupBody = z.input<typeof GroupInput>;
/** A policy as sent on create/replace. */
export type PolicyBody = z.input<typeof PolicyInput>;
/** A script as sent on create/replace. */
export type ScriptBody = z.input<typeof ScriptInput>;
/** One stored policy run. */
export type PolicyLog = z.infer<typeof PolicyLogEntry>;
/** An extension attribute. */
export type Attribute = z.infer<typeof ExtensionAttribute>;
/** An extension attribute as sent on create/replace. */
export type AttributeBody = z.input<typeof ExtensionAttributeInput>;
/** An admin user. */
export type AdminUser = z.infer<typeof User>;
/** One audit log line. */
export type AuditLine = z.infer<typeof AuditEntry>;
/** A freshly created enrollment token. */
export type NewEnrollmentToken = z.infer<typeof EnrollmentTokenResponse>;
