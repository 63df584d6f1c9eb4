// The component types of pages (internal/layout, component.go): what each
// holds, its events, its defaults; the fields of an entity type a page
// can show; fresh component ids; and the edits that keep a page's
// references right when a component is renamed or removed. The walks over
// the component tree are in tree.ts.

import type { Edit, Entity, JSONObject, JSONValue, ModelDoc, Page, PageComponent } from '../../model/types';
import { kebab } from './pageRules';
import { componentIds, findComponent, walk } from '../../model/tree';

export const componentTypes = ['DataGrid', 'Form', 'Button', 'Text', 'Modal', 'Container', 'Detail'] as const;
export type ComponentType = (typeof componentTypes)[number];

export interface TypeInfo {
  label: string;
  description: string;
  events: string[];
  children: boolean;
  /** The width a new one takes on the grid (Modals have none). */
  span: number;
  icon: string;
}

export const typeInfo: Record<ComponentType, TypeInfo> = {
  DataGrid: { label: 'Data grid', description: 'A table of records, searchable and sortable', events: ['onRowClick', 'onRowEdit', 'onRowDelete'], children: false, span: 12, icon: '▦' },
  Form: { label: 'Form', description: 'Creates or edits a record', events: ['onSubmit', 'onSuccess', 'onCancel'], children: false, span: 6, icon: '☰' },
  Button: { label: 'Button', description: 'Runs an action when clicked', events: ['onClick'], children: false, span: 2, icon: '▭' },
  Text: { label: 'Text', description: 'A paragraph of text', events: [], children: false, span: 12, icon: 'T' },
  Modal: { label: 'Modal', description: 'A dialog over the page, opened by an action', events: [], children: true, span: 0, icon: '◱' },
  Container: { label: 'Container', description: 'Groups components on a grid of its own', events: [], children: true, span: 12, icon: '▢' },
  Detail: { label: 'Detail', description: 'Shows one record, on a page with {id} in its route', events: ['onEdit', 'onDelete', 'onBack'], children: false, span: 12, icon: '▤' },
};

export function isComponentType(t: string): t is ComponentType {
  return (componentTypes as readonly string[]).includes(t);
}

export const eventLabels: Record<string, string> = {
  onRowClick: 'When a row is clicked',
  onRowEdit: 'When Edit is clicked on a row',
  onRowDelete: 'When Delete is clicked on a row',
  onSubmit: 'When submitted',
  onSuccess: 'After it is saved',
  onCancel: 'When cancelled',
  onClick: 'When clicked',
  onEdit: 'When Edit is clicked',
  onDelete: 'When Delete is clicked',
  onBack: 'When Back is clicked',
};

/** The system fields a grid or a detail view may show (read-only). */
export const shownSystemFields = ['id', 'createdAt', 'updatedAt', 'createdBy'];

/**
 * dataFields are the fields an entity's records hold, as pages name them:
 * its fields in order, then its reference fields (the toField of each
 * one-to-one or one-to-many relationship ending at it).
 */
export function dataFields(doc: ModelDoc, entity: string): string[] {
  const e = doc.entities.find((x) => x.name === entity);
  if (!e) return [];
  const refs = doc.relationships.filter((r) => r.kind !== 'many-to-many' && r.to === entity).map((r) => r.toField);
  return [...e.fields.map((f) => f.name), ...refs];
}

/** entityLabel is what an entity type is called: its display name, else its name. */
export function entityLabel(doc: ModelDoc, entity: string): string {
  const e: Entity | undefined = doc.entities.find((x) => x.name === entity);
  return e?.displayName?.trim() || entity;
}

export const idRE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * freeId is base made a valid component id (ASCII letters, digits, "_",
 * "-"; at most 64) that is not in taken: "tasks-grid", "tasks-grid-2".
 */
export function freeId(base: string, taken: ReadonlySet<string>): string {
  const b = base.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 58) || 'component';
  let id = b;
  for (let n = 2; taken.has(id); n++) id = `${b}-${n}`;
  return id;
}

/** idBase is what a new component's id is made from: "task-grid", "new-task", "text". */
export function idBase(type: string, props: JSONObject | undefined): string {
  const entity = typeof props?.entity === 'string' ? kebab(props.entity) : '';
  switch (type) {
    case 'DataGrid':
      return entity ? `${entity}-grid` : 'grid';
    case 'Form':
      return entity ? `${entity}-form` : 'form';
    case 'Detail':
      return entity ? `${entity}-detail` : 'detail';
    case 'Button':
      return kebab(typeof props?.label === 'string' ? props.label : '') || 'button';
    case 'Modal':
      return kebab(typeof props?.title === 'string' ? props.title : '') || 'modal';
    default:
      return kebab(type);
  }
}

// ——— Defaults ———

export interface NewComponentContext {
  doc: ModelDoc;
  page: Page;
  /** The entity type to bind to, when the builder chose one. */
  entity?: string;
}

/** defaultEntity is the entity a new data component binds to: the page's grid's, else the first. */
export function defaultEntity(doc: ModelDoc, page: Page): string | undefined {
  let fromPage: string | undefined;
  walk(page.components, (c) => {
    const e = c.props?.entity;
    if (typeof e !== 'string' || !doc.entities.some((x) => x.name === e)) return false;
    fromPage = e;
    return true;
  });
  return fromPage ?? doc.entities[0]?.name;
}

/**
 * newComponent makes a component of type with the props that make it
 * useful at once: a grid of an entity shows all its fields, a form has
 * its fields, "Save" and submits; its id is free in the page.
 */
export function newComponent(type: ComponentType, ctx: NewComponentContext, extra: JSONObject = {}): PageComponent {
  const entity = ctx.entity ?? defaultEntity(ctx.doc, ctx.page);
  const fields = entity ? dataFields(ctx.doc, entity) : [];
  let props: JSONObject = {};
  let actions: JSONObject | undefined;
  switch (type) {
    case 'DataGrid':
      props = entity ? { entity, columns: fields.length ? fields : ['id'], pageSize: 20 } : {};
      break;
    case 'Form':
      props = entity ? { entity, ...(fields.length ? { fields } : {}), submitLabel: 'Save' } : { submitLabel: 'Save' };
      actions = { onSubmit: { type: 'submitForm' } };
      break;
    case 'Detail':
      props = entity ? { entity, ...(fields.length ? { fields } : {}) } : {};
      break;
    case 'Button':
      props = { label: 'Button' };
      break;
    case 'Text':
      props = { text: 'Text' };
      break;
    case 'Modal':
      props = { title: 'Dialog' };
      break;
    case 'Container':
      break;
  }
  props = { ...props, ...extra };
  const c: PageComponent = { id: freeId(idBase(type, props), componentIds(ctx.page)), type, props };
  if (actions) c.actions = actions;
  if (typeInfo[type].children) c.children = [];
  return c;
}

/**
 * formModalEdits adds a Modal "New <entity>" holding a Form of entity
 * (all its fields, "Save", submitForm), and makes button's onClick open
 * it; it returns the edits and the modal's id.
 */
export function formModalEdits(doc: ModelDoc, page: Page, button: string, entity: string): { edits: Edit[]; modal: string } {
  const label = entityLabel(doc, entity);
  const taken = componentIds(page);
  const modal = freeId(`${kebab(entity)}-modal`, taken);
  taken.add(modal);
  const form = newComponent('Form', { doc, page: { ...page, components: [...(page.components ?? []), { id: modal, type: 'Modal' }] }, entity });
  const modalValue: PageComponent = { id: modal, type: 'Modal', props: { title: `New ${label}` }, children: [form] };
  const edits: Edit[] = [
    { op: 'addComponent', page: page.name, value: modalValue as unknown as JSONValue },
    { op: 'updateComponent', page: page.name, component: button, value: { actions: { onClick: { type: 'openModal', modal } } } },
  ];
  const b = findComponent(page, button);
  if (b && (b.props?.label === 'Button' || !b.props?.label)) {
    edits.push({ op: 'updateComponent', page: page.name, component: button, value: { props: { label: `New ${label}` } } });
  }
  return { edits, modal };
}

// ——— References between components ———

const refKeys = ['modal', 'target'] as const;

/**
 * renameComponentEdits renames component from to to, and points the
 * actions of the page that name it (openModal, closeModal, refresh) at the
 * new id.
 */
export function renameComponentEdits(page: Page, from: string, to: string): Edit[] {
  const edits: Edit[] = [{ op: 'updateComponent', page: page.name, component: from, value: { id: to } }];
  walk(page.components, (c) => {
    const patch: JSONObject = {};
    for (const [event, a] of Object.entries(c.actions ?? {})) {
      const action = a as JSONObject | null;
      for (const k of refKeys) if (action?.[k] === from) patch[event] = { [k]: to };
    }
    if (Object.keys(patch).length) edits.push({ op: 'updateComponent', page: page.name, component: c.id === from ? to : c.id, value: { actions: patch } });
  });
  return edits;
}

/**
 * removeComponentEdits removes component id (with its children), and
 * first the actions elsewhere in the page that name it or its children,
 * which the server would refuse.
 */
export function removeComponentEdits(page: Page, id: string): Edit[] {
  const gone = new Set<string>();
  const c = findComponent(page, id);
  if (c) walk([c], (x) => void gone.add(x.id));
  const edits: Edit[] = [];
  walk(page.components, (x) => {
    if (gone.has(x.id)) return;
    const patch: JSONObject = {};
    for (const [event, a] of Object.entries(x.actions ?? {})) {
      const action = a as JSONObject | null;
      if (refKeys.some((k) => typeof action?.[k] === 'string' && gone.has(action[k]))) patch[event] = null;
    }
    if (Object.keys(patch).length) {
      const left = Object.keys(x.actions ?? {}).filter((k) => !(k in patch));
      edits.push({ op: 'updateComponent', page: page.name, component: x.id, value: { actions: left.length ? patch : null } });
    }
  });
  edits.push({ op: 'removeComponent', page: page.name, component: id });
  return edits;
}

/** describe is a short summary of a component for the designer's cells. */
export function describe(c: PageComponent): string {
  const p = c.props ?? {};
  const s = (v: JSONValue | undefined) => (typeof v === 'string' ? v : '');
  const n = (v: JSONValue | undefined) => (Array.isArray(v) ? v.length : 0);
  switch (c.type) {
    case 'DataGrid':
      return s(p.entity) ? `${s(p.entity)} · ${n(p.columns) || 'default'} columns` : 'No entity yet';
    case 'Form':
      return s(p.entity) ? `${s(p.entity)} · ${n(p.fields) || 'all'} fields` : 'No entity yet';
    case 'Detail':
      return s(p.entity) ? `${s(p.entity)} · ${n(p.fields) || 'all'} fields` : 'No entity yet';
    case 'Button':
      return s(p.label) || 'No label';
    case 'Text':
      return s(p.text) || 'No text';
    case 'Modal':
      return `${s(p.title) || 'Untitled'} · ${c.children?.length ?? 0} inside`;
    case 'Container':
      return `${c.children?.length ?? 0} inside`;
    default:
      return c.type;
  }
}
