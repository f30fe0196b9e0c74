import { ValidationError } from '../../shared/errors.js';
import type { Policy, PolicyInput, ScriptParameter } from '../../shared/schemas/policy.js';

/** What the API shows instead of a secret script parameter; sending it back keeps the stored value. */
export const SECRET_PLACEHOLDER = '********';

type Payloads = PolicyInput['payloads'];

/** Which parameter indexes ($4–$11) each script marks secret. */
export type SecretIndexes = ReadonlyMap<number, { secretParameters: readonly number[] }>;

/** Calls `fn` on each script parameter with whether it is secret (marked on the parameter or by its script). */
function mapParameters(payloads: Payloads, scripts: SecretIndexes, fn: (p: ScriptParameter, secret: boolean, payload: number, index: number) => ScriptParameter): Payloads {
  return payloads.map((payload, i) => {
    if (payload.type !== 'script') return payload;
    const byScript = new Set(scripts.get(payload.scriptId)?.secretParameters ?? []);
    return { ...payload, parameters: payload.parameters.map((p, j) => fn(p, (typeof p === 'object' && p.secret) || byScript.has(j + 4), i, j)) };
  }) as Payloads;
}

const valueOf = (p: ScriptParameter) => (typeof p === 'object' ? p.value : p);

/** The policy as admins see it: secret parameter values replaced by the placeholder (only agents receive them). */
export function withoutSecrets(policy: Policy, scripts: SecretIndexes): Policy {
  return { ...policy, payloads: mapParameters(policy.payloads, scripts, (p, secret) => (secret ? { value: SECRET_PLACEHOLDER, secret: true } : p)) };
}

/** Puts stored secret values back where an update sent the placeholder at the same script payload and position. */
export function keepStoredSecrets(input: PolicyInput, stored: Policy | undefined): PolicyInput {
  return {
    ...input,
    payloads: mapParameters(input.payloads, new Map(), (p, _secret, i, j) => {
      if (valueOf(p) !== SECRET_PLACEHOLDER) return p;
      const before = stored?.payloads[i];
      const kept = before?.type === 'script' ? before.parameters[j] : undefined;
      const incoming = input.payloads[i];
      if (kept === undefined || incoming?.type !== 'script' || before?.type !== 'script' || before.scriptId !== incoming.scriptId) {
        throw new ValidationError(`payload ${i + 1}, parameter ${j + 4}: "${SECRET_PLACEHOLDER}" keeps a stored secret, but there is none there; send the value`);
      }
      return kept;
    }),
  };
}
