// The component tree of a page: components hold children (Modals,
// Containers), to any depth. Every walk over it is here (the edits of
// edits.ts and the page designer).

import type { Page, PageComponent } from './types';

/** Where a component is: the list holding it, its index there, and the component holding that list (null at the top). */
export interface Place {
  list: PageComponent[];
  index: number;
  parent: PageComponent | null;
}

/**
 * walk visits every component of list and their children, depth first,
 * each with its place; it stops when visit returns true, and says whether
 * it did.
 */
export function walk(
  list: PageComponent[] | undefined,
  visit: (c: PageComponent, at: Place) => boolean | void,
  parent: PageComponent | null = null,
): boolean {
  const l = list ?? [];
  for (let index = 0; index < l.length; index++) {
    const c = l[index] as PageComponent;
    if (visit(c, { list: l, index, parent }) === true) return true;
    if (walk(c.children, visit, c)) return true;
  }
  return false;
}

/** placeOf is where component id is in page, or undefined when there is none. */
export function placeOf(page: Page, id: string): Place | undefined {
  let found: Place | undefined;
  walk(page.components, (c, at) => {
    if (c.id !== id) return false;
    found = at;
    return true;
  });
  return found;
}

export function findComponent(page: Page, id: string): PageComponent | undefined {
  const at = placeOf(page, id);
  return at?.list[at.index];
}

/** parentOf is the component holding id, or null at the top (undefined: no such component). */
export function parentOf(page: Page, id: string): PageComponent | null | undefined {
  return placeOf(page, id)?.parent;
}

/** componentIds are the ids of every component of page, at any depth. */
export function componentIds(page: Page): Set<string> {
  const ids = new Set<string>();
  walk(page.components, (c) => {
    ids.add(c.id);
  });
  return ids;
}

/** componentsOf lists the components of page, at any depth, that keep says to. */
export function componentsOf(page: Page, keep: (c: PageComponent) => boolean): PageComponent[] {
  const out: PageComponent[] = [];
  walk(page.components, (c) => {
    if (keep(c)) out.push(c);
  });
  return out;
}

/** modalsOf lists the Modals of a page. */
export function modalsOf(page: Page): PageComponent[] {
  return componentsOf(page, (c) => c.type === 'Modal');
}
