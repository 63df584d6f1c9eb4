// Helpers that place components on the 12-column grid and find them in a
// page's tree.

import type { Component } from './types';

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

/**
 * padding is the height of the rows not rendered above and below the
 * rendered ones, which a virtualized table fills with one spacer row each.
 */
export function padding(rendered: Array<{ start: number; end: number }>, total: number): { top: number; bottom: number } {
  const first = rendered[0];
  const last = rendered[rendered.length - 1];
  if (!first || !last) return { top: 0, bottom: 0 };
  return { top: Math.max(0, first.start), bottom: Math.max(0, total - last.end) };
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
