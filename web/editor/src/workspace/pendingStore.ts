// Where a model session keeps unsaved actions when its view goes away
// before they are saved (a sign-in that ended, a reload): the tab's
// sessionStorage, one entry per model. Storage that refuses (private
// modes, quota) keeps nothing and says nothing: the actions are still sent
// while the tab lives.

import type { PendingStore, StoredPending } from '../model/session';

const key = (name: string) => `torque.editor.unsaved.${name}`;

export const sessionPendingStore: PendingStore = {
  load(name: string): StoredPending | null {
    try {
      const raw = window.sessionStorage.getItem(key(name));
      if (!raw) return null;
      const v = JSON.parse(raw) as StoredPending;
      return typeof v.baseVersion === 'number' && Array.isArray(v.actions) ? v : null;
    } catch {
      return null;
    }
  },
  save(name: string, p: StoredPending): void {
    try {
      window.sessionStorage.setItem(key(name), JSON.stringify(p));
    } catch {
      // nothing kept: see above
    }
  },
  clear(name: string): void {
    try {
      window.sessionStorage.removeItem(key(name));
    } catch {
      // nothing kept
    }
  },
};
