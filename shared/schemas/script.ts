import { z } from './zod.js';
import { Name } from './common.js';

// Without defaults: a patch must not reset omitted fields.
const ScriptFields = {
  name: Name,
  // The agent executes the file directly, so the kernel picks the interpreter from the shebang.
  content: z.string().max(1_048_576).regex(/^#![ \t]*\S/, 'script must start with a shebang line, e.g. #!/bin/sh'),
  parameterLabels: z.array(z.string().trim().max(200)).max(8, 'at most 8 labels ($4–$11)'),
  timeoutSeconds: z.number().int().min(1).max(86_400),
  secretParameters: z.array(z.number().int().min(4).max(11)).max(8),
};

const ScriptObject = z.strictObject({
  ...ScriptFields,
  parameterLabels: ScriptFields.parameterLabels.default([]),
  timeoutSeconds: ScriptFields.timeoutSeconds.default(3600),
  secretParameters: ScriptFields.secretParameters.default([]),
});

/** Body of `POST /api/v1/scripts` and `PUT /api/v1/scripts/:id`; also re-validates a patched script. */
export const ScriptInput = ScriptObject.superRefine((s, ctx) => {
  if (new Set(s.secretParameters).size !== s.secretParameters.length) {
    ctx.addIssue({ code: 'custom', path: ['secretParameters'], message: 'secret parameter indexes must not repeat' });
  }
}).openapi('ScriptInput');
export type ScriptInput = z.infer<typeof ScriptInput>;

/** Body of `PATCH /api/v1/scripts/:id`: merge onto the stored script, then re-parse with `ScriptInput`. */
export const ScriptPatch = z.strictObject(ScriptFields).partial().openapi('ScriptPatch');
export type ScriptPatch = z.infer<typeof ScriptPatch>;

/** A stored script as the API returns it. */
export const Script = ScriptObject.extend({ id: z.number().int().positive() }).openapi('Script');
export type Script = z.infer<typeof Script>;
