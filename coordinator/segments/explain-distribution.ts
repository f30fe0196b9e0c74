import type { DistributionExplanation } from '../../shared/schemas/segment.js';
import { distributionChain, type ChainInputs } from './distribution-chain.js';

/** The segment, chain and left-out nodes a computer in `segmentId` gets, for the explain view. */
export function explainDistribution(segmentId: number | null, inputs: ChainInputs): DistributionExplanation {
  const segment = inputs.segments.find((s) => s.id === segmentId);
  const { sources, skipped } = distributionChain(segment?.id ?? null, inputs);
  return { segment: segment ? { id: segment.id, name: segment.name } : null, chain: sources, skipped };
}
