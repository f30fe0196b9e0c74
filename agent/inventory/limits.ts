/** Longest string any inventory field may hold (mirrors the schema's `Str`). */
export const MAX_STRING = 1024;

/** Coerces a value to a string of at most `max` UTF-16 units, never splitting a surrogate pair. */
export function clampString(value: unknown, max = MAX_STRING): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'string' ? value : String(value);
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** Like `clampString`, but maps the placeholders systeminformation uses for "unknown" to ''. */
export function factString(value: unknown): string {
  const s = clampString(value).trim();
  return s === '-' || s === 'unknown' || s === 'Unknown' ? '' : s;
}

/** A finite, non-negative integer, or 0. */
export function nonNegativeInt(value: unknown): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? Math.min(Math.floor(n), Number.MAX_SAFE_INTEGER) : 0;
}

/** A finite, non-negative number, or 0. */
export function nonNegativeNumber(value: unknown): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** The first `max` items of `items`. */
export function capArray<T>(items: readonly T[], max: number): T[] {
  return items.slice(0, max);
}
