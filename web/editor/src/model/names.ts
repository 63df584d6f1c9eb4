// The rules of names and the Zod schemas of the editor's forms, the same
// as the server's model validation (model_validate.go).

import { z } from 'zod';
import type { ModelDoc } from './types';

export const modelNameRE = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
export const identifierRE = /^[A-Za-z][A-Za-z0-9_]{0,47}$/;

export const modelName = z
  .string()
  .trim()
  .min(1, 'Name is required')
  .regex(modelNameRE, 'Start with a letter; then letters, digits, "_" or "-" (at most 64)');

export const identifier = z
  .string()
  .trim()
  .min(1, 'Name is required')
  .regex(identifierRE, 'Start with a letter; then letters, digits or "_" (at most 48)');

export const newModelSchema = z.object({
  name: modelName,
  description: z.string().max(2000, 'At most 2000 characters'),
  template: z.string(),
});
export type NewModel = z.infer<typeof newModelSchema>;

/** freeName is identifier, refined so that the name is not one of taken (case-sensitive, as the server); what is "an entity". */
export function freeName(taken: readonly string[], what: string) {
  return identifier.refine((n) => !taken.includes(n), { message: `There is already ${what} with this name` });
}

/** entityNameError says what is wrong with name as a new entity type of doc, or null. */
export function entityNameError(doc: ModelDoc, name: string, except?: string): string | null {
  const r = freeName(doc.entities.map((e) => e.name).filter((n) => n !== except), 'an entity').safeParse(name);
  return r.success ? null : (r.error.issues[0]?.message ?? 'Invalid name');
}

/** fieldNameError says what is wrong with name as a new field of the entity type, or null. */
export function fieldNameError(doc: ModelDoc, entity: string, name: string, except?: string): string | null {
  const ent = doc.entities.find((e) => e.name === entity);
  const taken = (ent?.fields ?? []).map((f) => f.name).filter((n) => n !== except);
  if (['id', 'type', 'version', 'createdAt', 'updatedAt', 'createdBy'].includes(name.trim())) return `“${name.trim()}” is a system field`;
  const r = freeName(taken, 'a field').safeParse(name);
  return r.success ? null : (r.error.issues[0]?.message ?? 'Invalid name');
}

/** suggestName turns a display text into a free identifier: "Due date" → "dueDate". */
export function suggestName(text: string, taken: readonly string[], upper = false): string {
  const words = text.trim().replace(/[^A-Za-z0-9]+/g, ' ').trim().split(/\s+/).filter(Boolean);
  let base = words.map((w, i) => (i === 0 && !upper ? w[0]?.toLowerCase() : w[0]?.toUpperCase()) + w.slice(1)).join('');
  if (!/^[A-Za-z]/.test(base)) base = (upper ? 'E' : 'f') + base;
  base = base.slice(0, 44);
  let name = base;
  for (let i = 2; taken.includes(name); i++) name = `${base}${i}`;
  return name;
}
