import type { ScriptParameter } from '../schemas/policy.js';

/** One of a script's admin parameters $4–$11 with its label and whether it must stay out of argv, logs and output. */
export interface ResolvedParameter {
  /** Positional index, 4–11. */
  index: number;
  label: string;
  value: string;
  secret: boolean;
}

/**
 * Pairs a policy's script parameters with the script's labels: always 8 entries ($4–$11, '' when unset).
 * A parameter is secret when the script marks its index secret or the policy marks the value secret.
 */
export function resolveScriptParameters(
  script: { parameterLabels: readonly string[]; secretParameters: readonly number[] },
  parameters: readonly ScriptParameter[],
): ResolvedParameter[] {
  return Array.from({ length: 8 }, (_, i) => {
    const p = parameters[i];
    const index = i + 4;
    return {
      index,
      label: script.parameterLabels[i] || `Parameter ${index}`,
      value: p === undefined ? '' : typeof p === 'string' ? p : p.value,
      secret: script.secretParameters.includes(index) || (typeof p === 'object' && p.secret),
    };
  });
}
