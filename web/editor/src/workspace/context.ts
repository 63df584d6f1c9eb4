// What every section of the workspace reads: the model session (the
// document as the builder sees it, and edit), and presence.

import { notifications } from '@mantine/notifications';
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import { EditError } from '../model/edits';
import { problemsAt } from '../model/problems';
import type { ModelSession, SessionState } from '../model/session';
import type { PresenceState } from './presence';
import type { Edit } from '../model/types';

export interface Workspace {
  name: string;
  session: ModelSession;
  /** setEditing tells the other builders what this one is editing (a Change path), or null. */
  setEditing: (path: string | null) => void;
  presence: PresenceState;
}

export const WorkspaceContext = createContext<Workspace | null>(null);

export function useWorkspace(): Workspace {
  const w = useContext(WorkspaceContext);
  if (!w) throw new Error('useWorkspace outside the workspace');
  return w;
}

/** useModel returns the session's state, re-rendering on every change of it. */
export function useModel(): SessionState {
  const { session } = useWorkspace();
  return useSyncExternalStore(session.subscribe, session.getState);
}

/**
 * useEdit returns edit(label, edits, opts): the action is applied and
 * saved; one that does not apply is reported and changes nothing. It
 * returns whether the action applied.
 */
export function useEdit(): (label: string, edits: Edit[], opts?: { coalesce?: boolean }) => boolean {
  const { session } = useWorkspace();
  return useCallback(
    (label, edits, opts) => {
      try {
        session.edit(label, edits, opts);
        return true;
      } catch (e) {
        if (!(e instanceof EditError)) throw e;
        notifications.show({ color: 'red', title: `${label}: not done`, message: e.message });
        return false;
      }
    },
    [session],
  );
}

/** useProblems returns the server's problems with the part at path, by member. */
export function useProblems(path: string): Record<string, string> {
  const { refusal } = useModel();
  return refusal ? problemsAt(refusal.problems, path) : {};
}
