// Routes of pages, which may have one parameter "{id}": the page of one
// entity ("/tasks/{id}"). The server matches the same way (internal/layout,
// Layout.Match): routes without a parameter first, then the others in order.

import type { PageLink } from './types';

export const paramID = '{id}';

/** hasParams reports whether a route has the parameter {id}. */
export function hasParams(route: string): boolean {
  return route.includes(paramID);
}

/** The parameters of a matched route. */
export type RouteParams = Record<string, string>;

/** matchRoute matches path against route, returning its params, or null. */
export function matchRoute(route: string, path: string): RouteParams | null {
  if (!hasParams(route)) return route === path ? {} : null;
  const want = route.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: RouteParams = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w === paramID) {
      if (g === '') return null;
      params.id = g;
    } else if (w !== g) {
      return null;
    }
  }
  return params;
}

/** findPage is the page whose route matches path, with its params. */
export function findPage<P extends Pick<PageLink, 'route'>>(pages: P[], path: string): { page: P; params: RouteParams } | null {
  const exact = pages.find((p) => !hasParams(p.route) && p.route === path);
  if (exact) return { page: exact, params: {} };
  for (const page of pages) {
    if (!hasParams(page.route)) continue;
    const params = matchRoute(page.route, path);
    if (params) return { page, params };
  }
  return null;
}

/** What a page result says: its app, page, the pages of the app and, from loadPage, the params of the path asked. */
export interface Shown {
  app: string;
  page: Pick<PageLink, 'name' | 'route'> | null;
  pages: Array<Pick<PageLink, 'name' | 'route'>>;
  params?: RouteParams;
}

/**
 * shownParams tells whether shown (answered for the path asked, when that
 * is known) is the page of path in app: its params when it is, null when
 * the page of path must be loaded. Fixed routes win over routes with {id},
 * as on the server: from "/tasks/{id}", "/tasks/new" is another page. The
 * params loadPage answered for path are preferred to those read here.
 */
export function shownParams(shown: Shown, asked: string | null, app: string, path: string): RouteParams | null {
  if (shown.app !== app || !shown.page) return null;
  const answered = asked === path;
  // No path: the app's first page, shown only as the answer to no path.
  if (path === '') return answered ? {} : null;
  const found = findPage(shown.pages, path);
  if (found && found.page.name !== shown.page.name) return null;
  if (answered && shown.params) return shown.params;
  if (found) return found.params;
  // A page missing from the list: trust the answer to this very path.
  return answered ? (matchRoute(shown.page.route, path) ?? {}) : null;
}

/** fillRoute puts id in the route's {id}; null when it has one and id is missing. */
export function fillRoute(route: string, id?: string): string | null {
  if (!hasParams(route)) return route;
  if (!id) return null;
  return route.replace(paramID, encodeURIComponent(id));
}

/** navLinks are the pages the navigation lists: those without parameters. */
export function navLinks(pages: PageLink[]): PageLink[] {
  return pages.filter((p) => !hasParams(p.route));
}

/** detailLink is the page showing one entity of type entity, if any. */
export function detailLink(pages: PageLink[], entity: string): PageLink | undefined {
  return pages.find((p) => p.entity === entity && hasParams(p.route));
}

/** pageHref is the address of page link in app (with id for a route with {id}), or null when there is none. */
export function pageHref(app: string, link: Pick<PageLink, 'route'> | undefined, id?: string): string | null {
  const to = link ? fillRoute(link.route, id) : null;
  return to === null ? null : `/${app}${to}`;
}

/** listLink is the page listing entities of type entity (in the navigation), if any. */
export function listLink(pages: PageLink[], entity: string): PageLink | undefined {
  return navLinks(pages).find((p) => p.entity === entity);
}
