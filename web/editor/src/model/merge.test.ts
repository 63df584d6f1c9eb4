import { describe, expect, it } from 'vitest';
import { overlaps } from './merge';
import type { Change, Edit } from './types';

const title: Edit = { op: 'updateField', entity: 'Task', field: 'title', value: { maxLength: 100 } };

describe('overlaps', () => {
  const cases: [string, Edit, Change, boolean][] = [
    ['another member of the same field', title, { op: 'update', path: 'entities/Task/fields/title', before: { displayName: 'T' }, after: { displayName: 'Title' } }, false],
    ['the same member of the same field', title, { op: 'update', path: 'entities/Task/fields/title', before: { maxLength: 200 }, after: { maxLength: 50 } }, true],
    ['another field', title, { op: 'update', path: 'entities/Task/fields/due', before: {}, after: { required: true } }, false],
    ['the field removed', title, { op: 'remove', path: 'entities/Task/fields/title', before: {} }, true],
    ['the entity removed', title, { op: 'remove', path: 'entities/Task', before: {} }, true],
    ['the entity renamed (its own update)', title, { op: 'update', path: 'entities/Task', before: { name: 'Task' }, after: { name: 'Todo' } }, false],
    ['the fields reordered', title, { op: 'reorder', path: 'entities/Task/fields', before: [], after: [] }, false],
    ['my removal of their edited field', { op: 'removeField', entity: 'Task', field: 'title' }, { op: 'update', path: 'entities/Task/fields/title', before: {}, after: { x: 1 } }, true],
    ['my removal of the entity they edit inside', { op: 'removeEntity', entity: 'Task' }, { op: 'add', path: 'entities/Task/fields/tags', after: {} }, true],
    ['two reorders of one list', { op: 'reorderFields', entity: 'Task', order: [] }, { op: 'reorder', path: 'entities/Task/fields' }, true],
    ['another page', { op: 'updatePage', page: 'A', value: { title: 'x' } }, { op: 'update', path: 'pages/B', before: {}, after: {} }, false],
  ];
  for (const [name, edit, change, want] of cases) {
    it(`${name}: ${want ? 'overlaps' : 'merges'}`, () => {
      expect(overlaps(edit, change)).toBe(want);
    });
  }
});
