import { AuditEntry, TokenRequest, TokenResponse, User, UserCreate } from '../../shared/schemas/auth.js';
import { listOf, PageQuery } from '../../shared/schemas/common.js';
import { route } from '../http/define-route.js';
import type { AuditService } from '../services/audit-service.js';
import type { AuthService } from '../services/auth-service.js';

/** Sign-in, admin users and the audit log. */
export function authRoutes(auth: AuthService, audit: AuditService) {
  return [
    route({
      method: 'post', path: '/api/v1/auth/token', access: 'public', tag: 'auth', summary: 'Sign in and get a bearer token',
      body: TokenRequest, response: TokenResponse, bodyLimit: 8192,
      handler: async ({ body, ip }) => {
        const t = await auth.signIn(body.username, body.password, ip);
        return { token: t.token, expiresAt: t.expiresAt.toISOString(), role: t.role };
      },
    }),
    route({
      method: 'get', path: '/api/v1/users', access: 'read', tag: 'auth', summary: 'List admin users', response: listOf(User),
      handler: async () => {
        const users = await auth.listUsers();
        return { items: users.map((u) => ({ ...u, createdAt: u.createdAt.toISOString() })), total: users.length };
      },
    }),
    route({
      method: 'post', path: '/api/v1/users', access: 'write', tag: 'auth', summary: 'Create an admin or auditor', status: 201,
      body: UserCreate, response: User,
      handler: async ({ body }) => ({ ...(await auth.createUser(body.username, body.password, body.role)), createdAt: new Date().toISOString() }),
    }),
    route({
      method: 'get', path: '/api/v1/audit-log', access: 'read', tag: 'auth', summary: 'Admin writes, newest first',
      query: PageQuery, response: listOf(AuditEntry),
      handler: async ({ query }) => audit.list(query.page, query.perPage),
    }),
  ];
}
