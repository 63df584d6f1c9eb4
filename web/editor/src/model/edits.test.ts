import { describe, expect, it } from 'vitest';
import { EditError, applyEdits, editPath, invertEdits } from './edits';
import { todo } from './fixtures';
import type { Edit } from './types';

// Every edit, applied and then undone, must give the document back.
const cases: [string, Edit[]][] = [
  ['set the description', [{ op: 'setDescription', value: 'New words' }]],
  ['add an entity', [{ op: 'addEntity', value: { name: 'Tag', fields: [] }, index: 1 }]],
  ['rename an entity, with its relationships', [{ op: 'updateEntity', entity: 'Project', value: { name: 'Board' } }]],
  ['drop an entity member', [{ op: 'updateEntity', entity: 'Task', value: { displayName: null } }]],
  ['remove an entity with its relationships', [{ op: 'removeEntity', entity: 'Project' }]],
  ['reorder entities', [{ op: 'reorderEntities', order: ['Project', 'Task'] }]],
  ['add a field at an index', [{ op: 'addField', entity: 'Task', index: 0, value: { name: 'tags', type: 'string' } }]],
  ['patch a field', [{ op: 'updateField', entity: 'Task', field: 'title', value: { maxLength: 120, required: null, displayName: 'Title' } }]],
  ['rename a field', [{ op: 'updateField', entity: 'Task', field: 'due', value: { name: 'dueOn' } }]],
  ['remove a field', [{ op: 'removeField', entity: 'Task', field: 'status' }]],
  ['reorder fields', [{ op: 'reorderFields', entity: 'Task', order: ['due', 'title', 'status'] }]],
  ['add a relationship', [{ op: 'addRelationship', value: { name: 'r2', kind: 'one-to-one', from: 'Task', to: 'Project', fromField: 'a', toField: 'b' } }]],
  ['patch a relationship', [{ op: 'updateRelationship', relationship: 'projectTasks', value: { onDelete: 'cascade' } }]],
  ['remove a relationship', [{ op: 'removeRelationship', relationship: 'projectTasks' }]],
  ['add a page', [{ op: 'addPage', value: { name: 'Projects', route: '/projects', components: [] } }]],
  ['patch a page', [{ op: 'updatePage', page: 'Tasks', value: { title: 'All tasks' } }]],
  ['remove a page', [{ op: 'removePage', page: 'Tasks' }]],
  ['add a nested component', [{ op: 'addComponent', page: 'Tasks', parent: 'modal', index: 0, value: { id: 'txt', type: 'Text' } }]],
  ['move a component', [{ op: 'updateComponent', page: 'Tasks', component: 'new', value: { position: { col: 4 } } }]],
  ['remove a nested component', [{ op: 'removeComponent', page: 'Tasks', component: 'form' }]],
  ['reorder components', [{ op: 'reorderComponents', page: 'Tasks', order: ['modal', 'new'] }]],
  ['add a flow', [{ op: 'addFlow', value: { name: 'notify' } }]],
  [
    'several edits at once',
    [
      { op: 'addField', entity: 'Task', value: { name: 'tags', type: 'string' } },
      { op: 'updateField', entity: 'Task', field: 'tags', value: { maxLength: 40 } },
      { op: 'reorderFields', entity: 'Task', order: ['tags', 'title', 'status', 'due'] },
    ],
  ],
];

describe('applyEdits and invertEdits', () => {
  for (const [name, edits] of cases) {
    it(`${name}: undone by its inverse`, () => {
      const before = todo();
      const after = applyEdits(before, edits);
      expect(after).not.toEqual(before);
      expect(before).toEqual(todo()); // not changed in place
      expect(applyEdits(after, invertEdits(before, edits))).toEqual(before);
    });
  }

  it('shares with the document what an edit does not change', () => {
    const before = todo();
    const after = applyEdits(before, [{ op: 'updateField', entity: 'Task', field: 'due', value: { required: true } }]);
    expect(after.entities[1]).toBe(before.entities[1]);
    expect(after.entities[0]?.fields[0]).toBe(before.entities[0]?.fields[0]);
    expect(after.entities[0]).not.toBe(before.entities[0]);
    expect(after.pages).toBe(before.pages);
    expect(after.relationships).toBe(before.relationships);
    const moved = applyEdits(before, [{ op: 'updateComponent', page: 'Tasks', component: 'new', value: { position: { col: 4 } } }]);
    expect(moved.entities).toBe(before.entities);
    expect(before.pages[0]?.components?.[0]?.position?.col).toBe(0);
  });

  it('renaming an entity renames it in relationships', () => {
    const d = applyEdits(todo(), [{ op: 'updateEntity', entity: 'Project', value: { name: 'Board' } }]);
    expect(d.relationships[0]?.from).toBe('Board');
  });

  it('removing an entity removes its relationships', () => {
    expect(applyEdits(todo(), [{ op: 'removeEntity', entity: 'Task' }]).relationships).toEqual([]);
  });

  it('merge-patches fields (null removes)', () => {
    const d = applyEdits(todo(), [{ op: 'updateField', entity: 'Task', field: 'title', value: { required: null, minLength: 1 } }]);
    expect(d.entities[0]?.fields[0]).toEqual({ name: 'title', type: 'string', maxLength: 200, minLength: 1 });
  });

  const refused: [string, Edit, string][] = [
    ['a duplicate entity', { op: 'addEntity', value: { name: 'Task', fields: [] } }, 'entity "Task" already exists'],
    ['a duplicate field', { op: 'addField', entity: 'Task', value: { name: 'due', type: 'date' } }, 'field "due" already exists'],
    ['a missing entity', { op: 'updateEntity', entity: 'Nope', value: {} }, 'no entity "Nope"'],
    ['a missing field', { op: 'removeField', entity: 'Task', field: 'nope' }, 'no field "nope"'],
    ['a rename onto another field', { op: 'updateField', entity: 'Task', field: 'due', value: { name: 'title' } }, 'field "title" already exists'],
    ['fields through updateEntity', { op: 'updateEntity', entity: 'Task', value: { fields: [] } }, '"fields" has edits of its own'],
    ['an incomplete order', { op: 'reorderFields', entity: 'Task', order: ['due'] }, 'the order must name every field once'],
    ['a used component id', { op: 'addComponent', page: 'Tasks', value: { id: 'form', type: 'Text' } }, 'component id "form" is already used'],
    ['an index out of range', { op: 'addEntity', index: 9, value: { name: 'X', fields: [] } }, 'index 9 is out of range'],
  ];
  for (const [name, edit, msg] of refused) {
    it(`refuses ${name}`, () => {
      expect(() => applyEdits(todo(), [edit])).toThrow(EditError);
      expect(() => applyEdits(todo(), [edit])).toThrow(msg);
    });
  }
});

describe('editPath', () => {
  it('names parts as the server does', () => {
    expect(editPath({ op: 'addField', entity: 'Task', value: { name: 'tags', type: 'string' } })).toBe('entities/Task/fields/tags');
    expect(editPath({ op: 'reorderFields', entity: 'Task', order: [] })).toBe('entities/Task/fields');
    expect(editPath({ op: 'updateComponent', page: 'Tasks', component: 'new', value: {} })).toBe('pages/Tasks/components/new');
    expect(editPath({ op: 'removeRelationship', relationship: 'r' })).toBe('relationships/r');
    expect(editPath({ op: 'setDescription', value: '' })).toBe('description');
  });
});
