import type { z } from 'zod';
import { ConfigError } from './errors.js';

/**
 * Merges config layers (later wins; undefined values skipped), validates with `schema` and
 * reports every bad key at once.
 */
export function loadConfig<S extends z.ZodType>(schema: S, ...layers: Record<string, unknown>[]): z.infer<S> {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) if (value !== undefined) merged[key] = value;
  }
  const result = schema.safeParse(merged);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return result.data;
}

/** Reads `HOMING_<NAME>` environment variables for the given config keys (camelCase → UPPER_SNAKE). */
export function envLayer(keys: readonly string[], env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const name = `HOMING_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
    if (env[name] !== undefined) out[key] = env[name];
  }
  return out;
}
