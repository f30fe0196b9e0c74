import { MalformedBodyError } from './errors.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** A forbidden key's name, or any \u escape (which could spell one). */
const MAY_NAME_FORBIDDEN_KEY = /__proto__|constructor|prototype|\\u/;

/** Parses JSON, refusing prototype-polluting keys anywhere in the document. */
export function safeJsonParse(text: string): unknown {
  try {
    // Most documents name no forbidden key, not even escaped: parse them without the (slower) reviver.
    if (!MAY_NAME_FORBIDDEN_KEY.test(text)) return JSON.parse(text);
    return JSON.parse(text, (key, value) => {
      if (FORBIDDEN_KEYS.has(key)) throw new MalformedBodyError(`forbidden key "${key}" in JSON`);
      return value;
    });
  } catch (err) {
    if (err instanceof MalformedBodyError) throw err;
    throw new MalformedBodyError(`body is not valid JSON: ${(err as Error).message}`);
  }
}
