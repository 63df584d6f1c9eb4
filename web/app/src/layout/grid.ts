// Helpers that place components on the 12-column grid and find them in a
// page's tree.

import type { Action, Component } from './types';

export interface Cell {
  component: Component;
  span: number;
  /** Empty columns before the cell, after the previous one in its row. */
  offset: number;
}

export interface Row {
  key: string;
  cells: Cell[];
}

/**
 * rowsOf lays out components (Modals excluded: they open over the page) in
 * rows by position.row, each row's cells by col. Components without a
 * position take a whole row of their own, in order, after the placed rows
 * that come before them in the list.
 */
export function rowsOf(components: Component[]): Row[] {
  const placed = new Map<number, Component[]>();
  const rows: Array<{ order: number; key: string; items: Component[] }> = [];
  components.forEach((c, i) => {
    if (c.type === 'Modal') return;
    if (!c.position) {
      rows.push({ order: Number.MAX_SAFE_INTEGER, key: `free-${c.id}-${i}`, items: [c] });
      return;
    }
    const list = placed.get(c.position.row);
    if (list) list.push(c);
    else placed.set(c.position.row, [c]);
  });
  const ordered = [...placed.entries()]
    .sort(([a], [b]) => a - b)
    .map(([row, items]) => ({ order: row, key: `row-${row}`, items }));
  return [...ordered, ...rows].map(({ key, items }) => {
    const sorted = [...items].sort((a, b) => (a.position?.col ?? 0) - (b.position?.col ?? 0));
    let end = 0;
    const cells = sorted.map((component) => {
      const col = component.position?.col ?? end;
      const span = component.position?.span ?? 12 - col;
      const offset = Math.max(0, col - end);
      end = Math.max(end, col + span);
      return { component, span, offset };
    });
    return { key, cells };
  });
}

/** findComponent finds the component with id in the tree, or undefined. */
export function findComponent(components: Component[], id: string): Component | undefined {
  for (const c of components) {
    if (c.id === id) return c;
    const found = c.children ? findComponent(c.children, id) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** modalsOf lists every Modal of the tree. */
export function modalsOf(components: Component[]): Component[] {
  const out: Component[] = [];
  const walk = (list: Component[]) => {
    for (const c of list) {
      if (c.type === 'Modal') out.push(c);
      if (c.children) walk(c.children);
    }
  };
  walk(components);
  return out;
}

/** entitiesOf lists the entity types the components of a tree show (their entity prop): those a page's subscription follows. */
export function entitiesOf(components: Component[]): string[] {
  const out = new Set<string>();
  const walk = (list: Component[]) => {
    for (const c of list) {
      if (typeof c.props.entity === 'string' && c.props.entity !== '') out.add(c.props.entity);
      if (c.children) walk(c.children);
    }
  };
  walk(components);
  return [...out].sort();
}

/** backPage is the page the first Detail of a tree goes back to (its onBack), if any: the list of what it shows. */
export function backPage(components: Component[]): string | undefined {
  for (const c of components) {
    const back = c.type === 'Detail' ? c.actions?.onBack : undefined;
    if (back?.type === 'navigateTo' && back.page) return back.page;
    const inner = c.children ? backPage(c.children) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

/** formEntityOf is the entity of the first Form inside c, if any. */
export function formEntityOf(c: Component): string | undefined {
  for (const child of c.children ?? []) {
    if (child.type === 'Form' && typeof child.props.entity === 'string') return child.props.entity;
    const inner = formEntityOf(child);
    if (inner) return inner;
  }
  return undefined;
}

/**
 * editModalFor is the Modal of the page holding a Form of entity: where a
 * DataGrid without an onRowClick action edits its rows.
 */
export function editModalFor(components: Component[], entity: string): Component | undefined {
  return modalsOf(components).find((m) => formEntityOf(m) === entity);
}

/** stringProp reads a prop that is a string ('' when it is not). */
export function stringProp(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** virtualFrom is the number of rows from which a grid renders only those in view. */
export const virtualFrom = 60;

/** A line of a virtualized table's body: a row, or a spacer standing for rows not rendered. */
export type BodyLine = { kind: 'row'; index: number } | { kind: 'spacer'; key: string; height: number };

/**
 * bodyLines are the lines of a virtualized table's body: the rendered rows
 * (by index, in order) with a spacer for each run of rows not rendered
 * before, between (the focused row is kept rendered far from the others)
 * and after them. Item starts include margin (what comes before the rows in
 * the scroll element: the header); total does not.
 */
export function bodyLines(rendered: Array<{ index: number; start: number; end: number }>, total: number, margin = 0): BodyLine[] {
  const out: BodyLine[] = [];
  let at = 0;
  for (const r of rendered) {
    const start = r.start - margin;
    if (start > at) out.push({ kind: 'spacer', key: `before-${r.index}`, height: start - at });
    out.push({ kind: 'row', index: r.index });
    at = Math.max(at, r.end - margin);
  }
  if (rendered.length > 0 && total > at) out.push({ kind: 'spacer', key: 'after', height: total - at });
  return out;
}

/** withIndex adds index to the indexes a virtualizer renders (kept in order), when it is one of count. */
export function withIndex(indexes: number[], index: number | null, count: number): number[] {
  if (index === null || index < 0 || index >= count || indexes.includes(index)) return indexes;
  return [...indexes, index].sort((a, b) => a - b);
}

/** openedFormEntity is the entity of the Form in the modal that action opens, if it opens one. */
export function openedFormEntity(components: Component[], action: Action | undefined): string | undefined {
  if (action?.type !== 'openModal' || !action.modal) return undefined;
  const modal = findComponent(components, action.modal);
  return modal ? formEntityOf(modal) : undefined;
}

/** What a grid's row offers, as far as the user may. */
export interface RowActions {
  /** What a click on the row does. */
  open?: Action;
  /** open is editing the row (which the Edit button offers by name). */
  openEdits: boolean;
  edit?: Action;
  /** The delete action (its confirm question). */
  remove?: Action;
}

/**
 * rowActions are the actions of a DataGrid of entity on a row, from its
 * actions (onRowClick, onRowEdit, onRowDelete) and the page's edit modal,
 * keeping those the user may do on the row (allowed: update, delete). A
 * click that opens the edit form needs the right to update.
 */
export function rowActions(components: Component[], entity: string, actions: Record<string, Action>,
  allowed: (op: 'update' | 'delete') => boolean): RowActions {
  const editModal = editModalFor(components, entity);
  const defaultEdit: Action | undefined = editModal ? { type: 'openModal', modal: editModal.id } : undefined;
  const edits = (a: Action | undefined) => !!a && openedFormEntity(components, a) === entity;
  const click = actions.onRowClick ?? defaultEdit;
  const edit = actions.onRowEdit ?? (edits(actions.onRowClick) ? actions.onRowClick : defaultEdit);
  const remove = actions.onRowDelete ?? { type: 'deleteEntity' };
  const update = allowed('update');
  const out: RowActions = { openEdits: edits(click) };
  if (click && (update || !edits(click))) out.open = click;
  if (edit && update) out.edit = edit;
  if (remove.type === 'deleteEntity' && allowed('delete')) out.remove = remove;
  return out;
}

/** stringList reads a prop that is a list of names. */
export function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** nextSort is the sort after clicking the header of field: asc, then desc, then asc. */
export function nextSort(current: string, field: string): string {
  return current === field ? `-${field}` : field;
}

/** ariaSort is the aria-sort of the header of field under sort. */
export function ariaSort(sort: string, field: string): 'ascending' | 'descending' | 'none' {
  const first = sort.split(',')[0] ?? '';
  if (first === field) return 'ascending';
  if (first === `-${field}`) return 'descending';
  return 'none';
}

/** andFilter joins filters with "and"; empty ones are left out. */
export function andFilter(...filters: Array<string | undefined>): string {
  const parts = filters.filter((f): f is string => !!f && f.trim() !== '');
  if (parts.length <= 1) return parts[0] ?? '';
  return parts.map((f) => `(${f})`).join(' and ');
}

/** equalsFilter is the filter `field = "value"`. */
export function equalsFilter(field: string, value: string): string {
  return `${field} = ${JSON.stringify(value)}`;
}
