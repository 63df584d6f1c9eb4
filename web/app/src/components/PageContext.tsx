// The state a page shares with its components: which modal is open (and
// for which entity), the data versions grids refresh on, and the actions.

import { createContext, useContext } from 'react';
import type { OpenModal } from '../layout/modal';
import type { Action, Page, PageLink, Rights } from '../layout/types';

export type { OpenModal };

/** What an action runs with: the entity (row) it came from, if any. */
export interface ActionContext {
  entityId?: string;
  /** navigateTo replaces the current history entry (after a delete). */
  replace?: boolean;
}

export interface PageState {
  app: string;
  page: Page;
  pages: PageLink[];
  /** The parameters of the page's route: id for the page of one entity. */
  params?: Record<string, string>;
  /** What the user may do per entity type; absent: everything (a preview). */
  rights?: Record<string, Rights>;
  modal: OpenModal | null;
  /**
   * dataVersion changes when entities of type change (or on refresh): the
   * types the page shows and those it refers to, whose changes its
   * subscription carries.
   */
  dataVersion: (type: string) => number;
  bumpData: (type?: string) => void;
  run: (action: Action | undefined, ctx?: ActionContext) => void;
}

export const PageContext = createContext<PageState | null>(null);

export function usePage(): PageState {
  const p = useContext(PageContext);
  if (!p) throw new Error('usePage outside a page');
  return p;
}

/** The modal a component sits in, if any. */
export const ModalScope = createContext<OpenModal | null>(null);
