// The page as the TorqueApp's renderer expects it (torque-app's Page: what
// internal/layout's Build sends), made from the page as the editor holds
// it, which may be half edited: defaults filled as Build fills them (a
// route from the name, the title, a grid's columns and page size, a form's
// fields and submit label), and whatever the renderer could not read left
// out or made safe, so that the preview never breaks on it. Also: the
// server's problems with a page, placed on its components.

import type { Action, Component, Page as AppPage, PageLink, Position } from 'torque-app';
import { isObject } from '../../model/patch';
import type { JSONObject, JSONValue, ModelDoc, Page, PageComponent } from '../../model/types';
import { dataFields } from './components';
import { actionTypes } from './componentForm';
import { routeOf } from './pageRules';

const str = (v: JSONValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: JSONValue | undefined): string[] | undefined =>
  Array.isArray(v) ? [...new Set(v.filter((x): x is string => typeof x === 'string'))] : undefined;

/** defaultColumns are the columns of a grid that names none, as Build makes them. */
export function defaultColumns(doc: ModelDoc, entity: string): string[] {
  const e = doc.entities.find((x) => x.name === entity);
  if (!e) return ['id'];
  const cols = e.fields.filter((f) => f.type !== 'json' && f.type !== 'text').map((f) => f.name).slice(0, 6);
  return cols.length ? cols : ['id'];
}

function position(v: unknown): Position | undefined {
  if (!isObject(v)) return undefined;
  const n = (x: JSONValue | undefined) => (typeof x === 'number' && Number.isInteger(x) ? x : undefined);
  const row = Math.max(0, n(v.row) ?? 0);
  const col = Math.min(11, Math.max(0, n(v.col) ?? 0));
  const span = Math.min(12 - col, Math.max(1, n(v.span) ?? 12 - col));
  return { row, col, span };
}

function props(doc: ModelDoc, type: string, p: JSONObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const entity = str(p.entity);
  switch (type) {
    case 'DataGrid': {
      out.entity = entity ?? '';
      const cols = strings(p.columns);
      out.columns = cols?.length ? cols : defaultColumns(doc, entity ?? '');
      const size = p.pageSize;
      out.pageSize = typeof size === 'number' && Number.isInteger(size) && size >= 1 && size <= 200 ? size : 20;
      if (str(p.sort)) out.sort = p.sort;
      if (str(p.filter)) out.filter = p.filter;
      break;
    }
    case 'Form':
    case 'Detail': {
      out.entity = entity ?? '';
      const fields = strings(p.fields);
      out.fields = fields?.length ? fields : dataFields(doc, entity ?? '');
      if (type === 'Form') out.submitLabel = str(p.submitLabel) ?? 'Save';
      break;
    }
    case 'Button':
      out.label = str(p.label) ?? '';
      break;
    case 'Text':
      out.text = str(p.text) ?? '';
      break;
    case 'Modal':
      if (str(p.title) !== undefined) out.title = p.title;
      break;
  }
  return out;
}

function actions(v: unknown): Record<string, Action> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, Action> = {};
  for (const [event, a] of Object.entries(v)) {
    if (!isObject(a) || !(actionTypes as readonly string[]).includes(str(a.type) ?? '')) continue;
    const action: Action = { type: a.type as Action['type'] };
    for (const k of ['modal', 'page', 'target', 'confirm'] as const) {
      const s = str(a[k]);
      if (s) action[k] = s;
    }
    out[event] = action;
  }
  return Object.keys(out).length ? out : undefined;
}

function components(doc: ModelDoc, list: unknown, ids: Set<string>): Component[] {
  if (!Array.isArray(list)) return [];
  const out: Component[] = [];
  list.forEach((raw: unknown, i) => {
    if (!isObject(raw)) return;
    const type = str(raw.type) ?? '';
    // Ids key the renderer's lists: each must be there, and once.
    let id = str(raw.id) || `component-${i}`;
    for (let n = 2; ids.has(id); n++) id = `${str(raw.id) || 'component'}~${n}`;
    ids.add(id);
    const c: Component = { id, type, props: props(doc, type, isObject(raw.props) ? raw.props : {}) };
    const pos = type === 'Modal' ? undefined : position(raw.position);
    if (pos) c.position = pos;
    const acts = actions(raw.actions);
    if (acts) c.actions = acts;
    if ((type === 'Modal' || type === 'Container') && Array.isArray(raw.children)) {
      const kids = components(doc, raw.children, ids);
      if (kids.length) c.children = kids;
    }
    out.push(c);
  });
  return out;
}

/** previewPage is page as the renderer reads it (see above). */
export function previewPage(doc: ModelDoc, page: Page): AppPage {
  const route = routeOf(page) || '/';
  return {
    name: page.name,
    route,
    title: typeof page.title === 'string' ? page.title : page.name,
    generated: false,
    components: components(doc, page.components, new Set()),
  };
}

/** previewLinks are the model's pages as the renderer's links to them. */
export function previewLinks(doc: ModelDoc): PageLink[] {
  return doc.pages.map((p) => ({ name: p.name, route: routeOf(p) || '/', title: typeof p.title === 'string' ? p.title : p.name }));
}

// ——— The server's problems, on components ———

export interface PageProblems {
  /** The page's own: name, route, title. */
  page: Record<string, string>;
  /** By component id, by member ("props.entity", "position.span", "id"). */
  components: Record<string, Record<string, string>>;
  /** Those that name no component of the page as it is now. */
  other: Record<string, string>;
}

const componentPathRE = /^components\[(\d+)\]((?:\.children\[\d+\])*)(?:\.(.+))?$/;

/**
 * placeProblems places the problems of one page (by member, as useProblems
 * gives them: "route", "components[1].children[0].props.entity") on its
 * components.
 */
export function placeProblems(page: Page, problems: Record<string, string>): PageProblems {
  const out: PageProblems = { page: {}, components: {}, other: {} };
  for (const [member, msg] of Object.entries(problems)) {
    const m = componentPathRE.exec(member);
    if (!m) {
      if (member.startsWith('components')) out.other[member] = msg;
      else out.page[member] = msg;
      continue;
    }
    let c: PageComponent | undefined = page.components?.[Number(m[1])];
    for (const step of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) c = c?.children?.[Number(step[1])];
    if (!c) {
      out.other[member] = msg;
      continue;
    }
    (out.components[c.id] ??= {})[m[3] ?? ''] = msg;
  }
  return out;
}
