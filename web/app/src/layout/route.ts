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
