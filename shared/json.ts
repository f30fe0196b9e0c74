import { MalformedBodyError } from './errors.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Parses JSON, refusing prototype-polluting keys anywhere in the document. */
export function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text, (key, value) => {
      if (FORBIDDEN_KEYS.has(key)) throw new MalformedBodyError(`forbidden key "${key}" in JSON`);
      return value;
    });
  } catch (err) {
    if (err instanceof MalformedBodyError) throw err;
    throw new MalformedBodyError(`body is not valid JSON: ${(err as Error).message}`);
  }
}
