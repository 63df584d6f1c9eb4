// The relationship editor's form: its values, the Zod schema that checks
// them as the server would (model_validate.go: names, entity types that
// exist, ends that collide with nothing on their entity type, "set-null"
// not with "required"), the conversions between a Relationship and the
// form, and the names suggested from the entity types.

import { z } from 'zod';
import { identifier } from '../../model/names';
import { onDeleteRules, relationshipKinds, type ModelDoc, type OnDelete, type Relationship, type RelationshipKind } from '../../model/types';
import { systemFields } from '../systemFields';

export interface RelationshipFormValues {
  name: string;
  kind: RelationshipKind;
  from: string;
  to: string;
  fromField: string;
  toField: string;
  onDelete: OnDelete;
  required: boolean;
}

/**
 * The members checked and applied together: the ends (the names are
 * checked on the entity types, and against each other on a self
 * relationship), and the delete rule with what it depends on.
 */
export const relationshipGroups: (keyof RelationshipFormValues)[][] = [['from', 'to', 'fromField', 'toField'], ['kind', 'required', 'onDelete']];

/** kindSigil is the short form of a kind: "1 — N". */
export function kindSigil(kind: string): string {
  switch (kind) {
    case 'one-to-one':
      return '1 — 1';
    case 'one-to-many':
      return '1 — N';
    case 'many-to-many':
      return 'N — M';
    default:
      return '?';
  }
}

/** canBeRequired says whether a relationship of the kind may be required. */
export function canBeRequired(kind: RelationshipKind): boolean {
  return kind !== 'many-to-many';
}

/** defaultOnDelete is the server's onDelete for a kind when none is given. */
export function defaultOnDelete(kind: RelationshipKind): OnDelete {
  return kind === 'many-to-many' ? 'set-null' : 'restrict';
}

/** kindText says in a sentence what a kind means between two entity types. */
export function kindText(kind: RelationshipKind, from: string, to: string): string {
  const f = from || 'the “from” type';
  const t = to || 'the “to” type';
  switch (kind) {
    case 'one-to-one':
      return `Each ${f} has at most one ${t}, and each ${t} belongs to at most one ${f}.`;
    case 'one-to-many':
      return `Each ${f} has any number of ${t} records; each ${t} belongs to at most one ${f}.`;
    case 'many-to-many':
      return `Each ${f} links to any number of ${t} records, and the other way round.`;
  }
}

/** onDeleteText explains in one line what deleting a "from" entity does under each rule. */
export function onDeleteText(rule: OnDelete, v: Pick<RelationshipFormValues, 'kind' | 'from' | 'to' | 'toField'>): string {
  const f = v.from || 'the “from” entity';
  const t = v.to || '“to”';
  switch (rule) {
    case 'restrict':
      return `Deleting a ${f} is refused while it has ${t} records.`;
    case 'cascade':
      return `Deleting a ${f} deletes its ${t} records too.`;
    case 'set-null':
      return v.kind === 'many-to-many'
        ? `Deleting a ${f} drops its links; the ${t} records stay.`
        : `Deleting a ${f} clears “${v.toField || 'the reference'}” on its ${t} records; they stay.`;
  }
}

export function toForm(r: Relationship): RelationshipFormValues {
  return {
    name: r.name,
    kind: r.kind,
    from: r.from,
    to: r.to,
    fromField: r.fromField,
    toField: r.toField,
    onDelete: r.onDelete ?? defaultOnDelete(r.kind),
    required: r.required ?? false,
  };
}

/** fromForm makes the relationship the form describes; required only where the kind allows it. */
export function fromForm(v: RelationshipFormValues): Relationship {
  const r: Relationship = {
    name: v.name.trim(),
    kind: v.kind,
    from: v.from,
    to: v.to,
    fromField: v.fromField.trim(),
    toField: v.toField.trim(),
    onDelete: v.onDelete,
  };
  if (v.required && canBeRequired(v.kind)) r.required = true;
  return r;
}

/**
 * endsAt returns the names taken on an entity type, each with what took
 * it: its fields, and the ends of the relationships at it but the one
 * named except (the one being edited).
 */
export function endsAt(doc: ModelDoc, entity: string, except?: string): Map<string, string> {
  const taken = new Map<string, string>();
  for (const f of doc.entities.find((e) => e.name === entity)?.fields ?? []) taken.set(f.name, `a field of ${entity}`);
  for (const r of doc.relationships) {
    if (r.name === except) continue;
    if (r.from === entity) taken.set(r.fromField, `relationship “${r.name}”`);
    if (r.to === entity) taken.set(r.toField, `relationship “${r.name}”`);
  }
  return taken;
}

/** missingEntity says that an end names an entity type the model lacks. */
export function missingEntity(name: string): string {
  return `There is no entity type “${name}”: choose one of the model’s`;
}

/** relationshipSchema checks a relationship of doc; except is the name of the one being edited. */
export function relationshipSchema(doc: ModelDoc, except?: string) {
  const names = doc.relationships.map((r) => r.name).filter((n) => n !== except);
  const entities = doc.entities.map((e) => e.name);
  const entity = z.string().superRefine((s, ctx) => {
    if (s === '') ctx.addIssue({ code: 'custom', message: 'Choose an entity type' });
    else if (!entities.includes(s)) ctx.addIssue({ code: 'custom', message: missingEntity(s) });
  });
  return z
    .object({
      name: identifier.refine((n) => !names.includes(n), 'There is already a relationship with this name'),
      kind: z.enum(relationshipKinds, 'Choose a kind'),
      from: entity,
      to: entity,
      fromField: identifier,
      toField: identifier,
      onDelete: z.enum(onDeleteRules, 'Choose what deleting does'),
      required: z.boolean(),
    })
    .superRefine((v, ctx) => {
      const end = (key: 'fromField' | 'toField', entityName: string) => {
        const n = v[key].trim();
        if (n === '') return;
        if (systemFields.includes(n)) {
          ctx.addIssue({ code: 'custom', path: [key], message: `“${n}” is a system field` });
          return;
        }
        if (!entities.includes(entityName)) return;
        const by = endsAt(doc, entityName, except).get(n);
        if (by) ctx.addIssue({ code: 'custom', path: [key], message: `${entityName} already has “${n}”: ${by}` });
      };
      end('fromField', v.from);
      end('toField', v.to);
      if (v.from === v.to && v.fromField.trim() !== '' && v.fromField.trim() === v.toField.trim()) {
        ctx.addIssue({ code: 'custom', path: ['toField'], message: 'Both ends are on the same entity type: the names must differ' });
      }
      if (v.required && canBeRequired(v.kind) && v.onDelete === 'set-null') {
        ctx.addIssue({ code: 'custom', path: ['onDelete'], message: '“set-null” cannot be used with a required relationship' });
      }
    });
}

const irregular: Record<string, string> = { person: 'people', child: 'children', mouse: 'mice' };

/** plural is a plain English plural of a name: "task" → "tasks", "category" → "categories". */
export function plural(word: string): string {
  const lower = word.toLowerCase();
  for (const [one, many] of Object.entries(irregular)) {
    if (lower.endsWith(one)) return word.slice(0, word.length - one.length) + matchCase(word.slice(word.length - one.length), many);
  }
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  return `${word}s`;
}

function matchCase(like: string, word: string): string {
  return like[0] && like[0] === like[0].toUpperCase() ? word[0]?.toUpperCase() + word.slice(1) : word;
}

const lowerFirst = (s: string) => (s[0]?.toLowerCase() ?? '') + s.slice(1);
const upperFirst = (s: string) => (s[0]?.toUpperCase() ?? '') + s.slice(1);

/** free returns base, or base2, base3, … the first that taken does not hold, within 48 characters. */
function free(base: string, taken: (n: string) => boolean): string {
  const b = base.slice(0, 44);
  let n = b;
  for (let i = 2; taken(n); i++) n = `${b}${i}`;
  return n;
}

export interface Suggestion {
  name: string;
  fromField: string;
  toField: string;
}

/**
 * suggest names a relationship of the kind between two entity types:
 * Project → Task one-to-many is "projectTasks", with "tasks" on Project
 * and "project" on Task; a self relationship on Task one-to-many has
 * "childTasks" and "parentTask". The names are free on their entity types.
 */
export function suggest(doc: ModelDoc, v: Pick<RelationshipFormValues, 'kind' | 'from' | 'to'>, except?: string): Suggestion {
  const { kind, from, to } = v;
  if (!from || !to) return { name: '', fromField: '', toField: '' };
  const many = kind !== 'one-to-one';
  const self = from === to;
  let fromField = many ? lowerFirst(plural(to)) : lowerFirst(to);
  let toField = kind === 'many-to-many' ? lowerFirst(plural(from)) : lowerFirst(from);
  if (self) {
    if (kind === 'one-to-many') {
      fromField = `child${upperFirst(plural(to))}`;
      toField = `parent${upperFirst(to)}`;
    } else if (kind === 'many-to-many') {
      toField = `related${upperFirst(plural(to))}`;
    }
  }
  const name = free(lowerFirst(from) + upperFirst(many ? plural(to) : to), (n) => doc.relationships.some((r) => r.name === n && r.name !== except));
  const atFrom = endsAt(doc, from, except);
  const atTo = endsAt(doc, to, except);
  fromField = free(fromField, (n) => systemFields.includes(n) || atFrom.has(n));
  toField = free(toField, (n) => systemFields.includes(n) || atTo.has(n) || (self && n === fromField));
  return { name, fromField, toField };
}

/**
 * follow returns next (the form after the builder changed the kind or an
 * entity type) with the names, and onDelete, that were still what was
 * suggested for prev replaced by the suggestions for next: what the
 * builder typed stays. members says which names may follow.
 */
export function follow(
  doc: ModelDoc,
  prev: RelationshipFormValues,
  next: RelationshipFormValues,
  except?: string,
  members: readonly (keyof Suggestion)[] = ['name', 'fromField', 'toField'],
): RelationshipFormValues {
  const before = suggest(doc, prev, except);
  const after = suggest(doc, next, except);
  const out = { ...next };
  for (const k of members) {
    if (prev[k].trim() === '' || prev[k].trim() === before[k]) out[k] = after[k];
  }
  if (prev.onDelete === defaultOnDelete(prev.kind)) out.onDelete = defaultOnDelete(next.kind);
  if (!canBeRequired(next.kind)) out.required = false;
  return out;
}

/** initialValues are those of a new relationship in doc: one-to-many between the first two entity types. */
export function initialValues(doc: ModelDoc): RelationshipFormValues {
  const from = doc.entities[0]?.name ?? '';
  const to = doc.entities[1]?.name ?? from;
  const kind: RelationshipKind = 'one-to-many';
  return { ...suggest(doc, { kind, from, to }), kind, from, to, onDelete: defaultOnDelete(kind), required: false };
}

/** missingEnds names the entity types a relationship refers to that doc does not have. */
export function missingEnds(doc: ModelDoc, r: Pick<Relationship, 'from' | 'to'>): string[] {
  const names = new Set(doc.entities.map((e) => e.name));
  return [...new Set([r.from, r.to])].filter((n) => !names.has(n));
}
