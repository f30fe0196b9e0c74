import { useState } from 'preact/hooks';
import { Field } from './field.js';

/** A text field for a comma-separated list of numeric ids (e.g. computers in a scope). */
export function IdListInput({ label, value, onChange }: { label: string; value: readonly number[]; onChange(ids: number[]): void }) {
  const [text, setText] = useState(value.join(', '));
  const parse = (t: string) => t.split(/[\s,]+/).filter(Boolean).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  return (
    <Field label={label} hint="Computer ids, separated by commas">{(id) => (
      <input id={id} inputMode="numeric" value={text} onInput={(e) => { setText(e.currentTarget.value); onChange(parse(e.currentTarget.value)); }} />
    )}</Field>
  );
}
