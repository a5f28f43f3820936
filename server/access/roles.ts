/**
 * Roles and what each route needs. Roles are ordered: each one may do what the one before it may.
 * viewer: read and share links; operator: also import and replay; admin: also delete data and settings.
 */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least role a route needs; without it the route's method decides (routeRole). */
    role?: Role;
  }
}

export function isRole(s: unknown): s is Role {
  return (ROLES as readonly unknown[]).includes(s);
}

/** True when `have` may do what `need` allows. */
export function allows(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

/** The stronger of two roles; null counts as no role. */
export function stronger(a: Role | null, b: Role | null): Role | null {
  if (a === null) return b;
  if (b === null) return a;
  return allows(a, b) ? a : b;
}

/**
 * The role a request needs: the route's declared one, else by method, so that a route added
 * without a declaration is never open to less than its method implies: reads need viewer, a POST
 * (import, replay) operator, anything that changes or deletes (PUT, PATCH, DELETE) admin.
 */
export function routeRole(method: string, declared: Role | undefined): Role {
  if (declared) return declared;
  switch (method.toUpperCase()) {
    case 'GET': case 'HEAD': case 'OPTIONS': return 'viewer';
    case 'POST': return 'operator';
    default: return 'admin';
  }
}
