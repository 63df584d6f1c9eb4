// Applying one input of a form while another holds an error: the members
// changed (with those checked together with them) are taken from the
// form, the rest from the document, and only they are checked.

import type { z } from 'zod';

/**
 * takeMembers returns saved (the form the document's part makes) with
 * members, and those sharing a group with them, taken from form; or null
 * when the schema finds a problem with one of those. Problems elsewhere
 * (another input in progress) do not stop them.
 */
export function takeMembers<V extends object>(
  saved: V,
  form: V,
  members: readonly (keyof V)[],
  groups: readonly (readonly (keyof V)[])[],
  schema: z.ZodType,
): V | null {
  const taken = new Set<keyof V>(members.flatMap((m) => groups.find((g) => g.includes(m)) ?? [m]));
  const v = { ...saved };
  for (const k of taken) v[k] = form[k];
  const r = schema.safeParse(v);
  if (!r.success && r.error.issues.some((i) => taken.has(i.path[0] as keyof V))) return null;
  return v;
}
