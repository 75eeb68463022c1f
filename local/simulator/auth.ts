export type TokenScope = 'read-write' | 'read-only';

/** Mangrove documents both `Authorization: Bearer <token>` (cookbook) and the raw token (reference). */
export function tokenFrom(authorization: string | undefined): string | undefined {
  const value = authorization?.trim();
  if (!value) return undefined;
  return /^Bearer\s+/i.test(value) ? value.replace(/^Bearer\s+/i, '') : value;
}
