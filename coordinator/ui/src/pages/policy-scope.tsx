import type { PolicyBody } from '../api/types.js';
import { ChoiceList } from '../components/choice-list.js';
import { IdListInput } from '../components/id-list-input.js';

type Scope = NonNullable<PolicyBody['scope']>;
type Targets = { computers?: number[]; groups?: number[]; segments?: number[] };
type Options = { value: number; label: string }[];

/** Scope picker: all computers or chosen groups/segments/computers, minus exclusions. */
export function PolicyScope({ scope, onChange, groups, segments }: { scope: Scope; onChange(s: Scope): void; groups: Options; segments: Options }) {
  const exclusions = scope.exclusions ?? {};
  const targets = (legend: string, t: Targets, set: (t: Targets) => void) => (
    <fieldset>
      <legend>{legend}</legend>
      <ChoiceList legend="Groups" options={groups} selected={t.groups ?? []} onChange={(g) => set({ ...t, groups: g })} />
      <ChoiceList legend="Segments" options={segments} selected={t.segments ?? []} onChange={(s) => set({ ...t, segments: s })} />
      <IdListInput label="Computers" value={t.computers ?? []} onChange={(c) => set({ ...t, computers: c })} />
    </fieldset>
  );
  return (
    <fieldset>
      <legend>Scope</legend>
      <label class="check"><input type="checkbox" checked={scope.all ?? false} onChange={(e) => onChange({ ...scope, all: e.currentTarget.checked })} />All computers</label>
      {!scope.all && targets('Targets', scope, (t) => onChange({ ...scope, ...t }))}
      {targets('Exclusions', exclusions, (t) => onChange({ ...scope, exclusions: { ...exclusions, ...t } }))}
    </fieldset>
  );
}
