// The rules of pages as the server checks them (internal/layout, page.go
// and route.go): names, routes (and the route made from a name), titles;
// the Zod schema of the page settings form; and the edits that rename a
// page with the navigateTo actions that name it.

import { z } from 'zod';
import type { Edit, JSONObject, ModelDoc, Page } from '../../model/types';
import { walk } from '../../model/tree';

export const maxPageName = 200;
export const maxPageTitle = 200;
export const maxRoute = 200;

const letter = /\p{L}/u;
const digit = /\p{Nd}/u;
const upper = /\p{Lu}/u;
const lower = /\p{Ll}/u;

/**
 * words splits a name into its words, as the server does: at runs of
 * characters that are neither letters nor digits, and at case changes
 * ("TaskList" and "task list" are "task" "list"; "HTTPServer" is "HTTP" "Server").
 */
export function words(s: string): string[] {
  const out: string[] = [];
  const runes = [...s];
  let start = -1;
  runes.forEach((r, i) => {
    if (!letter.test(r) && !digit.test(r)) {
      if (start >= 0) {
        out.push(runes.slice(start, i).join(''));
        start = -1;
      }
      return;
    }
    if (start >= 0 && upper.test(r)) {
      const prev = runes[i - 1] ?? '';
      const next = runes[i + 1] ?? '';
      if (lower.test(prev) || digit.test(prev) || (upper.test(prev) && lower.test(next))) {
        out.push(runes.slice(start, i).join(''));
        start = i;
      }
    }
    if (start < 0) start = i;
  });
  if (start >= 0) out.push(runes.slice(start).join(''));
  return out;
}

/** kebab writes a name in lower case, its words joined by "-": "Task list" → "task-list". */
export function kebab(s: string): string {
  return words(s).join('-').toLowerCase();
}

/** suggestRoute is the route the server gives a page named name without one: "Open tasks" → "/open-tasks". */
export function suggestRoute(name: string): string {
  const k = kebab(name);
  return k ? `/${k}` : '';
}

const routeRule = 'Start with "/", then segments of letters, digits, "-", "_", "." or "~" separated by "/"';

/** routeError says what is wrong with a route (the server's checkRoute), or null. */
export function routeError(r: string): string | null {
  if (r === '/') return null;
  if (new TextEncoder().encode(r).length > maxRoute) return `At most ${maxRoute} bytes`;
  if (!r.startsWith('/')) return routeRule;
  let params = 0;
  for (const seg of r.slice(1).split('/')) {
    if (seg === '{id}') {
      if (++params > 1) return 'At most one parameter "{id}"';
      continue;
    }
    if (/[{}]/.test(seg)) return 'The only route parameter is "{id}", a whole segment';
    if (seg === '' || seg === '.' || seg === '..') return routeRule;
    for (const c of seg) {
      if (!letter.test(c) && !digit.test(c) && !'-_.~'.includes(c)) return routeRule;
    }
  }
  return null;
}

/** routeOf is the route a page has: its own, or the one made from its name. */
export function routeOf(p: Page): string {
  return typeof p.route === 'string' ? p.route : suggestRoute(p.name);
}

export interface PageSettings {
  name: string;
  route: string;
  title: string;
}

/**
 * pageSettingsSchema checks a page's settings as the server would, in doc
 * where the page named except (if any) is the one being edited. An empty
 * route is the one made from the name.
 */
export function pageSettingsSchema(doc: ModelDoc, except?: string) {
  const others = doc.pages.filter((p) => p.name !== except);
  const names = others.map((p) => p.name);
  const routes = others.map(routeOf);
  return z
    .object({
      name: z
        .string()
        .trim()
        .min(1, 'Name is required')
        .max(maxPageName, `At most ${maxPageName} characters`)
        .refine((n) => !n.startsWith('/'), 'A page name does not start with "/" (routes do)')
        .refine((n) => !names.includes(n), 'There is already a page with this name'),
      route: z.string().trim(),
      title: z.string().max(maxPageTitle, `At most ${maxPageTitle} characters`),
    })
    .superRefine((v, ctx) => {
      const route = v.route || suggestRoute(v.name);
      if (!v.route && !route) {
        ctx.addIssue({ code: 'custom', path: ['route'], message: 'Give a route: none can be made from this name' });
        return;
      }
      const problem = routeError(route);
      if (problem) ctx.addIssue({ code: 'custom', path: ['route'], message: problem });
      else if (routes.includes(route)) ctx.addIssue({ code: 'custom', path: ['route'], message: `Page ${others[routes.indexOf(route)]?.name ?? ''} has this route` });
    });
}

/** pageFromSettings makes a new page from valid settings. */
export function pageFromSettings(v: PageSettings): Page {
  const p: Page = { name: v.name.trim(), route: v.route.trim() || suggestRoute(v.name), components: [] };
  if (v.title.trim()) p.title = v.title.trim();
  return p;
}

/**
 * renamePageEdits renames page from to to, and points the navigateTo
 * actions of every page that name it at the new name (the server refuses
 * an action naming no page).
 */
export function renamePageEdits(doc: ModelDoc, from: string, to: string): Edit[] {
  const edits: Edit[] = [{ op: 'updatePage', page: from, value: { name: to } }];
  for (const p of doc.pages) {
    const page = p.name === from ? to : p.name;
    walk(p.components, (c) => {
      const patch: JSONObject = {};
      for (const [event, a] of Object.entries(c.actions ?? {})) {
        const action = a as JSONObject | null;
        if (action?.type === 'navigateTo' && action.page === from) patch[event] = { page: to };
      }
      if (Object.keys(patch).length) edits.push({ op: 'updateComponent', page, component: c.id, value: { actions: patch } });
    });
  }
  return edits;
}
