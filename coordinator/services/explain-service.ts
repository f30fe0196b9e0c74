import type { Clock } from '../../shared/clock.js';
import type { DistributionExplanation } from '../../shared/schemas/segment.js';
import { NotFoundError } from '../../shared/errors.js';
import type { Database } from '../db/database.js';
import { evaluatePolicyScope, type NameLookup } from '../policies/scope.js';
import type { GroupService } from './group-service.js';
import type { MembershipService } from './membership-service.js';
import type { PolicyService } from './policy-service.js';

/** Says, for one computer, which groups it is in and whether each policy applies to it, and why. */
export class ExplainService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly policies: PolicyService,
    private readonly groups: GroupService,
    private readonly memberships: MembershipService,
    /** The segment and distribution chain of a computer in this segment. */
    private readonly distribution: (segmentId: number | null) => Promise<DistributionExplanation>,
  ) {}

  async explain(computerId: number) {
    const computer = await this.db.models.Computer.findByPk(computerId, { attributes: ['id', 'name', 'segmentId'] });
    if (!computer) throw new NotFoundError(`computer ${computerId}`);
    const segmentId = computer.segmentId ?? null;
    const [groupIds, groupNames, policies, distribution] = await Promise.all([
      this.memberships.groupIdsOf(computerId), this.groups.names(), this.policies.all(), this.distribution(segmentId),
    ]);
    const names: NameLookup = (kind, id) => {
      if (kind === 'group') return groupNames.get(id);
      if (kind === 'segment') return id === distribution.segment?.id ? distribution.segment.name : undefined;
      return kind === 'computer' && id === computer.id && computer.name ? computer.name : undefined;
    };
    const now = this.clock.now();
    return {
      computerId,
      groups: [...groupIds].sort((a, b) => a - b).map((id) => ({ id, name: groupNames.get(id) ?? `#${id}` })),
      policies: policies.map((p) => ({
        id: p.id, name: p.name, ...evaluatePolicyScope(p, { id: computerId, segmentId }, groupIds, names, now),
      })),
      distribution,
    };
  }
}
