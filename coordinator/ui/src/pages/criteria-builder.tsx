import { CRITERIA_FIELDS, GROUP_FIELD } from '../../../policies/criteria-fields.js';
import type { Criterion } from '../api/types.js';
import { WriteOnly } from '../components/write-only.js';

type Op = Criterion['operator'];
const OPERATORS = ['is', 'is not', 'like', 'not like', 'greater', 'less', 'matches regex', 'member of', 'not member of'] as const satisfies readonly Op[];
// Fails to compile if the schema gains an operator this list lacks.
const _exhaustive: Exclude<Op, (typeof OPERATORS)[number]> extends never ? true : never = true;
void _exhaustive;
const BRACKETS = [0, 1, 2, 3];
const isMembership = (op: Op) => op === 'member of' || op === 'not member of';

/** Jamf-style smart group criteria: and/or, brackets, allowlisted field, operator, value; one row per criterion. */
export function CriteriaBuilder(p: {
  criteria: Criterion[]; onChange(next: Criterion[]): void; attributeNames: string[]; groups: { value: number; label: string }[];
}) {
  const fields = [...CRITERIA_FIELDS, ...p.attributeNames.map((n) => `extensionAttributes.${n}`)];
  const set = (i: number, change: Partial<Criterion>) => p.onChange(p.criteria.map((c, j) => (j === i ? { ...c, ...change } : c)));
  const setOperator = (i: number, operator: Op) => set(i, isMembership(operator)
    ? { operator, field: GROUP_FIELD, value: String(p.groups[0]?.value ?? '') }
    : { operator, field: p.criteria[i]!.field === GROUP_FIELD ? 'computer.name' : p.criteria[i]!.field });
  const add = () => p.onChange([...p.criteria, { join: 'and', open: 0, field: 'computer.name', operator: 'like', value: '', close: 0 }]);
  return (
    <fieldset class="criteria">
      <legend>Criteria</legend>
      {p.criteria.length === 0 && <p><small>No criteria: the group contains every computer.</small></p>}
      {p.criteria.map((c, i) => {
        const n = i + 1;
        return (
          <div class="criterion" key={i} role="group" aria-label={`Criterion ${n}`}>
            {i === 0 ? <span class="join-spacer" /> : (
              <select aria-label={`Criterion ${n} join`} value={c.join} onChange={(e) => set(i, { join: e.currentTarget.value as 'and' | 'or' })}>
                <option value="and">and</option><option value="or">or</option>
              </select>
            )}
            <select aria-label={`Criterion ${n} opening brackets`} value={c.open} onChange={(e) => set(i, { open: Number(e.currentTarget.value) })}>
              {BRACKETS.map((b) => <option key={b} value={b}>{'('.repeat(b) || '–'}</option>)}
            </select>
            {isMembership(c.operator) ? <span class="field-fixed">group</span> : (
              <select aria-label={`Criterion ${n} field`} value={c.field} onChange={(e) => set(i, { field: e.currentTarget.value })}>
                {fields.map((f) => <option key={f} value={f}>{f}</option>)}
              </select>
            )}
            <select aria-label={`Criterion ${n} operator`} value={c.operator} onChange={(e) => setOperator(i, e.currentTarget.value as Op)}>
              {OPERATORS.map((o) => <option key={o} value={o}>{o}</option>)}
            </select>
            {isMembership(c.operator) ? (
              <select aria-label={`Criterion ${n} group`} value={c.value} onChange={(e) => set(i, { value: e.currentTarget.value })}>
                {p.groups.map((g) => <option key={g.value} value={String(g.value)}>{g.label}</option>)}
              </select>
            ) : (
              <input aria-label={`Criterion ${n} value`} value={c.value} onInput={(e) => set(i, { value: e.currentTarget.value })} />
            )}
            <select aria-label={`Criterion ${n} closing brackets`} value={c.close} onChange={(e) => set(i, { close: Number(e.currentTarget.value) })}>
              {BRACKETS.map((b) => <option key={b} value={b}>{')'.repeat(b) || '–'}</option>)}
            </select>
            <WriteOnly><button type="button" aria-label={`Remove criterion ${n}`} onClick={() => p.onChange(p.criteria.filter((_, j) => j !== i))}>Remove</button></WriteOnly>
          </div>
        );
      })}
      <WriteOnly><button type="button" onClick={add}>Add criterion</button></WriteOnly>
    </fieldset>
  );
}
