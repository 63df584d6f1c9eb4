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

describe('overlaps, beyond one path', () => {
  it('my removal of an entity type overlaps their new relationship to it', () => {
    expect(overlaps({ op: 'removeEntity', entity: 'Project' }, { op: 'add', path: 'relationships/r', after: { name: 'r', from: 'Project', to: 'Task' } })).toBe(true);
    expect(overlaps({ op: 'removeEntity', entity: 'Tag' }, { op: 'add', path: 'relationships/r', after: { name: 'r', from: 'Project', to: 'Task' } })).toBe(false);
  });
  it('their removal of an entity type overlaps my new relationship to it', () => {
    expect(overlaps({ op: 'addRelationship', value: { name: 'r', from: 'Project', to: 'Task' } }, { op: 'remove', path: 'entities/Project', before: {} })).toBe(true);
  });
  it('a rename touches the new name too', () => {
    expect(overlaps({ op: 'updateField', entity: 'Task', field: 'due', value: { name: 'dueOn' } }, { op: 'add', path: 'entities/Task/fields/dueOn', after: {} })).toBe(true);
  });
  it('a nested reorder is the parent\'s children, not the page\'s top level', () => {
    const mine: Edit = { op: 'reorderComponents', page: 'P', parent: 'modal', order: [] };
    expect(overlaps(mine, { op: 'reorder', path: 'pages/P/components' })).toBe(false);
    expect(overlaps(mine, { op: 'reorder', path: 'pages/P/components/modal/children' })).toBe(true);
  });
  it('names with "/" and "~" are escaped as the server does', () => {
    expect(overlaps({ op: 'updatePage', page: 'a/b~c', value: { title: 'x' } }, { op: 'remove', path: 'pages/a~1b~0c', before: {} })).toBe(true);
  });
});
