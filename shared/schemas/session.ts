import { z } from './zod.js';

/** The signed-in admin as the web UI sees it, with the CSRF token its writes must carry. */
export const Session = z.object({
  username: z.string(),
  role: z.enum(['admin', 'auditor']),
  csrfToken: z.string().openapi({ description: 'send as X-CSRF-Token on every non-GET request made with the session cookie' }),
}).openapi('Session');
export type Session = z.infer<typeof Session>;
