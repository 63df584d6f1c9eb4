// What the editor reads of GraphQL errors: the code, the per-field
// problems (extensions.fields) and the conflict of a stale write.

import { CombinedGraphQLErrors } from '@apollo/client';
import { SaveError } from '../model/session';
import type { Change } from '../model/types';

interface Extensions {
  code?: string;
  fields?: Record<string, string>;
  conflict?: { version: number; changes: Change[] };
}

/** toSaveError turns what a request threw into a SaveError. */
export function toSaveError(e: unknown): SaveError {
  if (e instanceof SaveError) return e;
  if (CombinedGraphQLErrors.is(e)) {
    const first = e.errors[0];
    const ext = (first?.extensions ?? {}) as Extensions;
    return new SaveError(first?.message ?? e.message, ext.code ?? 'INTERNAL', ext.fields ?? {}, ext.conflict ?? null);
  }
  // Not an answer of the server: the network, or a server that is down.
  return new SaveError(e instanceof Error ? e.message : String(e), '');
}

/** errorMessage is what to show a builder for any failure. */
export function errorMessage(e: unknown): string {
  const err = toSaveError(e);
  if (err.code === '') return `The server cannot be reached (${err.message}).`;
  return err.message;
}
