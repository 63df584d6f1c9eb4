// Which modal of a page is open after an action: the one rule the app's
// pages and the editor's preview share.

import type { Action } from './types';

export interface OpenModal {
  id: string;
  /** The entity the modal's form edits; absent for a new one. */
  entityId?: string;
}

/**
 * modalAfter is the open modal after action, run from the row of entityId
 * if any: openModal opens its modal (for that entity), closeModal closes
 * its modal (any, without one), anything else leaves it.
 */
export function modalAfter(open: OpenModal | null, action: Action, entityId?: string): OpenModal | null {
  switch (action.type) {
    case 'openModal':
      if (!action.modal) return open;
      return entityId ? { id: action.modal, entityId } : { id: action.modal };
    case 'closeModal':
      return !action.modal || open?.id === action.modal ? null : open;
    default:
      return open;
  }
}
