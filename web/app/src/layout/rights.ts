// What the user may do: the rights loadPage answers per entity type (true,
// false or "own"), read as the server reads them (internal/service,
// access.owner): "own" allows an operation on the records the user created.

import type { Rights } from './types';

/** The record an operation is on: who created it. */
export interface Owned {
  createdBy: string;
}

/**
 * may reports whether rights let user do op on entities of type entity: on
 * record when one is given. Without rights (a preview) everything is
 * allowed. "own" allows a record the user created, and creating (what one
 * creates is one's own); without a record, "own" does not allow updating or
 * deleting.
 */
export function may(rights: Record<string, Rights> | undefined, entity: string, op: keyof Rights, record?: Owned, user?: string): boolean {
  if (!rights) return true;
  const g = rights[entity]?.[op];
  if (g === true) return true;
  if (g !== 'own') return false;
  if (op === 'create') return true;
  return !!record && !!user && record.createdBy === user;
}
