import { useEffect, useState } from 'preact/hooks';
import { Field } from './field.js';

/** A search field that reports its value after the user pauses typing. */
export function SearchBox({ label, value, onSearch }: { label: string; value: string; onSearch(q: string): void }) {
  const [text, setText] = useState(value);
  useEffect(() => {
    if (text === value) return;
    const t = setTimeout(() => onSearch(text.trim()), 250);
    return () => clearTimeout(t);
  }, [text]);
  return (
    <form role="search" class="search" onSubmit={(e) => { e.preventDefault(); onSearch(text.trim()); }}>
      <Field label={label}>{(id) => <input id={id} type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />}</Field>
    </form>
  );
}
