/** Cuts `text` to at most `max` characters (never splitting a surrogate pair), noting the cut. */
export function truncateOutput(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return `${text.slice(0, end)}\n[output truncated at ${max} characters]`;
}
