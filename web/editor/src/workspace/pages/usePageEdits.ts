// The designer's actions on a page, each one undoable action made of the
// component edits (addComponent, updateComponent with a merge patch,
// removeComponent, reorderComponents).

import { useCallback } from 'react';
import type { JSONObject, JSONValue, Page } from '../../model/types';
import { useEdit, useModel } from '../context';
import { newComponent, removeComponentEdits, typeInfo, type ComponentType } from './components';
import { placeNew, positionEdits, type Rows, type Target } from './grid';

export interface PageEdits {
  /** add puts a new component of type on the grid at target (a Modal goes over the page); it returns its id. */
  add: (type: ComponentType, target?: Target) => string | null;
  /** addChild puts a new component of type inside parent (a Modal or Container). */
  addChild: (parent: string, type: ComponentType) => string | null;
  /** layout gives the top-level components the positions of rows. */
  layout: (label: string, rows: Rows) => void;
  patch: (label: string, component: string, value: JSONObject, coalesce?: boolean) => boolean;
  remove: (component: string) => boolean;
}

export function usePageEdits(page: Page): PageEdits {
  const { doc } = useModel();
  const edit = useEdit();
  const name = page.name;

  const add = useCallback(
    (type: ComponentType, target: Target = { newRow: Number.MAX_SAFE_INTEGER }) => {
      const c = newComponent(type, { doc, page });
      if (type === 'Modal') {
        return edit(`Add ${type} ${c.id}`, [{ op: 'addComponent', page: name, value: c as unknown as JSONValue }]) ? c.id : null;
      }
      const { position, edits } = placeNew(page, c.id, typeInfo[type].span, target);
      const value = { ...c, position } as unknown as JSONValue;
      return edit(`Add ${type} ${c.id}`, [...edits, { op: 'addComponent', page: name, value }]) ? c.id : null;
    },
    [doc, page, name, edit],
  );

  const addChild = useCallback(
    (parent: string, type: ComponentType) => {
      const c = newComponent(type, { doc, page });
      return edit(`Add ${type} ${c.id} to ${parent}`, [{ op: 'addComponent', page: name, parent, value: c as unknown as JSONValue }]) ? c.id : null;
    },
    [doc, page, name, edit],
  );

  const layout = useCallback(
    (label: string, rows: Rows) => {
      const edits = positionEdits(page, rows);
      if (edits.length) edit(label, edits);
    },
    [page, edit],
  );

  const patch = useCallback(
    (label: string, component: string, value: JSONObject, coalesce = false) =>
      edit(label, [{ op: 'updateComponent', page: name, component, value }], { coalesce }),
    [name, edit],
  );

  const remove = useCallback((component: string) => edit(`Delete component ${component}`, removeComponentEdits(page, component)), [page, edit]);

  return { add, addChild, layout, patch, remove };
}
