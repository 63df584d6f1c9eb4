// The inspector's forms: the Zod schemas that check a component's id,
// props and actions as the server does (component.go, component_props.go,
// action.go), and the conversions between actions and the action form.

import { z } from 'zod';
import type { JSONObject, JSONValue, ModelDoc } from '../../model/types';
import { dataFields, idRE, shownSystemFields } from './components';

// ——— Ids ———

export function componentIdSchema(taken: readonly string[]) {
  return z
    .string()
    .trim()
    .min(1, 'An id is required')
    .regex(idRE, 'At most 64 letters, digits, "_" or "-"')
    .refine((id) => !taken.includes(id), 'Another component of the page has this id');
}

// ——— Props ———

/** The system fields a sort may name (docs/filter.md). */
const sortSystemFields = ['id', 'version', 'createdAt', 'updatedAt', 'createdBy'];

/** sortableFields are the fields a grid of entity can sort by: not json ones. */
export function sortableFields(doc: ModelDoc, entity: string): string[] {
  const e = doc.entities.find((x) => x.name === entity);
  if (!e) return [];
  const json = new Set(e.fields.filter((f) => f.type === 'json').map((f) => f.name));
  return [...dataFields(doc, entity).filter((f) => !json.has(f)), ...sortSystemFields];
}

export interface Sort {
  field: string;
  desc: boolean;
}

/** parseSort reads the first key of a sort ("-due" → due, descending); null for none. */
export function parseSort(s: unknown): Sort | null {
  if (typeof s !== 'string') return null;
  const first = s.split(',')[0]?.trim() ?? '';
  if (!first || first === '-') return null;
  return first.startsWith('-') ? { field: first.slice(1), desc: true } : { field: first, desc: false };
}

export function sortString(s: Sort | null): string | null {
  return s ? `${s.desc ? '-' : ''}${s.field}` : null;
}

function names(allowed: readonly string[], what: string, entityOf: string) {
  return z
    .array(z.string())
    .min(1, `Choose at least one ${what}`)
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((n, i) => {
        if (seen.has(n)) ctx.addIssue({ code: 'custom', path: [i], message: `"${n}" is there twice` });
        else if (!allowed.includes(n)) ctx.addIssue({ code: 'custom', path: [i], message: `No field "${n}" in ${entityOf}` });
        seen.add(n);
      });
    });
}

/**
 * propsSchema checks the props of a component of type in doc. Lists of
 * names are checked against the entity the props name (its fields, and
 * for grids and detail views the system fields they may show).
 */
export function propsSchema(type: string, doc: ModelDoc, entity: string) {
  const entityName = z
    .string({ error: 'Choose an entity type' })
    .min(1, 'Choose an entity type')
    .refine((e) => doc.entities.some((x) => x.name === e), 'No entity type with this name');
  const fields = dataFields(doc, entity);
  switch (type) {
    case 'DataGrid':
      return z.object({
        entity: entityName,
        columns: names([...fields, ...shownSystemFields], 'column', entity).optional(),
        pageSize: z.number({ error: 'A whole number' }).int('A whole number').min(1, 'From 1 to 200').max(200, 'From 1 to 200').optional(),
        sort: z
          .string()
          .refine((s) => {
            const key = parseSort(s);
            return key !== null && sortableFields(doc, entity).includes(key.field);
          }, 'Sort by a field of the entity type (not a json one)')
          .optional(),
        filter: z.string().optional(),
      });
    case 'Form':
      return z.object({
        entity: entityName,
        fields: names(fields, 'field', entity).optional(),
        submitLabel: z.string().optional(),
      });
    case 'Detail':
      return z.object({ entity: entityName, fields: names([...fields, ...shownSystemFields], 'field', entity).optional() });
    case 'Button':
      return z.object({ label: z.string({ error: 'A label is required' }).trim().min(1, 'A label is required') });
    case 'Text':
      return z.object({ text: z.string({ error: 'A text is required' }) });
    case 'Modal':
      return z.object({ title: z.string().optional() });
    default:
      return z.object({});
  }
}

/** propsProblems checks props and returns the problems by prop ("columns", "pageSize"). */
export function propsProblems(type: string, doc: ModelDoc, props: JSONObject | undefined): Record<string, string> {
  const p = props ?? {};
  const entity = typeof p.entity === 'string' ? p.entity : '';
  const r = propsSchema(type, doc, entity).safeParse(p);
  const out: Record<string, string> = {};
  if (!r.success) {
    for (const issue of r.error.issues) {
      const k = String(issue.path[0] ?? '');
      out[k] ??= issue.message;
    }
  }
  return out;
}

// ——— Actions ———

export const actionTypes = ['openModal', 'closeModal', 'navigateTo', 'refresh', 'submitForm', 'deleteEntity'] as const;
export type ActionType = (typeof actionTypes)[number];

export const actionLabels: Record<ActionType, string> = {
  openModal: 'Open a modal',
  closeModal: 'Close a modal',
  navigateTo: 'Go to a page',
  refresh: 'Refresh data',
  submitForm: 'Submit the form',
  deleteEntity: 'Delete the record',
};

/** eventActions are the action types offered for an event, the likely ones first. */
export function eventActions(type: string, event: string): ActionType[] {
  if (type === 'Form' && event === 'onSubmit') return ['submitForm'];
  const likely: ActionType[] =
    event === 'onRowDelete' || event === 'onDelete' ? ['deleteEntity'] : event === 'onSuccess' || event === 'onCancel' ? ['closeModal', 'navigateTo'] : [];
  return [...likely, ...actionTypes.filter((t) => !likely.includes(t) && t !== 'submitForm' && !(t === 'deleteEntity' && !['DataGrid', 'Detail'].includes(type)))];
}

export interface ActionForm {
  /** "" is no action. */
  type: ActionType | '';
  modal: string;
  page: string;
  target: string;
  confirm: string;
}

export interface ActionContext {
  /** The Modals of the page, the pages of the model, the components of the page, by id or name. */
  modals: readonly string[];
  pages: readonly string[];
  components: readonly string[];
}

export function actionSchema(ctx: ActionContext) {
  const modal = z
    .string()
    .min(1, 'Choose a modal')
    .refine((m) => ctx.modals.includes(m), 'No Modal with this id in the page');
  return z.discriminatedUnion('type', [
    z.object({ type: z.literal(''), modal: z.string(), page: z.string(), target: z.string(), confirm: z.string() }),
    z.object({ type: z.literal('openModal'), modal, page: z.string(), target: z.string(), confirm: z.string() }),
    z.object({ type: z.literal('closeModal'), modal, page: z.string(), target: z.string(), confirm: z.string() }),
    z.object({
      type: z.literal('navigateTo'),
      modal: z.string(),
      page: z
        .string()
        .min(1, 'Choose a page')
        .refine((p) => ctx.pages.includes(p), 'No page with this name'),
      target: z.string(),
      confirm: z.string(),
    }),
    z.object({
      type: z.literal('refresh'),
      modal: z.string(),
      page: z.string(),
      target: z.string().refine((t) => t === '' || ctx.components.includes(t), 'No component with this id in the page'),
      confirm: z.string(),
    }),
    z.object({ type: z.literal('submitForm'), modal: z.string(), page: z.string(), target: z.string(), confirm: z.string() }),
    z.object({ type: z.literal('deleteEntity'), modal: z.string(), page: z.string(), target: z.string(), confirm: z.string().max(500, 'At most 500 characters') }),
  ]);
}

const str = (v: JSONValue | undefined) => (typeof v === 'string' ? v : '');

export function toActionForm(a: JSONValue | undefined): ActionForm {
  const o = a !== null && typeof a === 'object' && !Array.isArray(a) ? a : {};
  const type = (actionTypes as readonly string[]).includes(str(o.type)) ? (str(o.type) as ActionType) : '';
  return { type, modal: str(o.modal), page: str(o.page), target: str(o.target), confirm: str(o.confirm) };
}

/** fromActionForm makes the action the form describes, with only the members its type reads; null is none. */
export function fromActionForm(v: ActionForm): JSONObject | null {
  switch (v.type) {
    case '':
      return null;
    case 'openModal':
    case 'closeModal':
      return { type: v.type, modal: v.modal };
    case 'navigateTo':
      return { type: v.type, page: v.page };
    case 'refresh':
      return v.target ? { type: v.type, target: v.target } : { type: v.type };
    case 'deleteEntity':
      return v.confirm.trim() ? { type: v.type, confirm: v.confirm.trim() } : { type: v.type };
    case 'submitForm':
      return { type: v.type };
  }
}

/**
 * withType switches the form to another action type, choosing what it
 * needs when there is one obvious choice (the first modal, the first page).
 */
export function withType(v: ActionForm, type: ActionType | '', ctx: ActionContext): ActionForm {
  const next = { ...v, type };
  if ((type === 'openModal' || type === 'closeModal') && !ctx.modals.includes(v.modal)) next.modal = ctx.modals[0] ?? '';
  if (type === 'navigateTo' && !ctx.pages.includes(v.page)) next.page = ctx.pages[0] ?? '';
  return next;
}
