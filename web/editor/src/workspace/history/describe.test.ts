import { describe, expect, it } from 'vitest';
import type { Change } from '../../model/types';
import { describeChange, describeChanges, memberLines, show, tally, text } from './describe';

const title = { name: 'title', displayName: 'Title', type: 'string', required: true, minLength: 1, maxLength: 200, indexed: true };

function said(c: Change): { crumbs: string; lines: string[] } {
  const d = describeChange(c);
  return { crumbs: d.crumbs.join(' ▸ '), lines: d.lines.map(text) };
}

describe('describing changes', () => {
  it('says what happened to a field, under the field', () => {
    expect(said({ op: 'update', path: 'entities/Task/fields/title', before: title, after: { ...title, maxLength: 120 } })).toEqual({
      crumbs: 'Entities ▸ Task ▸ fields ▸ title',
      lines: ['changed max length from 200 to 120'],
    });
    expect(said({ op: 'update', path: 'entities/Task/fields/title', before: title, after: { name: 'title', displayName: 'Title', type: 'string', required: false, maxLength: 200, indexed: true, pattern: '^[A-Z]' } }).lines)
      .toEqual(['made optional', 'removed min length (was 1)', 'set pattern to “^[A-Z]”']);
    expect(said({ op: 'update', path: 'entities/Task/fields/title', before: { name: 'title', type: 'string' }, after: { name: 'title', type: 'text', unique: true, indexed: false } }).lines)
      .toEqual(['changed type from “string” to “text”', 'made unique', 'not indexed']);
  });

  it('says which values of an enum came and went, or that they were reordered', () => {
    const status = { name: 'status', type: 'enum', values: ['todo', 'doing', 'done'] };
    expect(said({ op: 'update', path: 'entities/Task/fields/status', before: status, after: { ...status, values: ['todo', 'done', 'blocked'] } }).lines)
      .toEqual(['added values blocked; removed values doing']);
    expect(said({ op: 'update', path: 'entities/Task/fields/status', before: status, after: { ...status, values: ['done', 'doing', 'todo'] } }).lines)
      .toEqual(['reordered values: done, doing, todo']);
  });

  it('puts added and removed fields under the entity type\'s fields, with what they are', () => {
    expect(said({ op: 'add', path: 'entities/Task/fields/title', after: title })).toEqual({
      crumbs: 'Entities ▸ Task ▸ fields',
      lines: ['added field title (string, required)'],
    });
    expect(said({ op: 'remove', path: 'entities/Task/fields/status', before: { name: 'status', type: 'enum', values: ['a', 'b'] } }).lines)
      .toEqual(['removed field status (enum: a, b)']);
    expect(said({ op: 'reorder', path: 'entities/Task/fields', before: ['a', 'b'], after: ['b', 'a'] })).toEqual({
      crumbs: 'Entities ▸ Task ▸ fields',
      lines: ['reordered fields: b, a'],
    });
  });

  it('says entity types, relationships, pages, components and flows', () => {
    expect(said({ op: 'add', path: 'entities/Label', after: { name: 'Label', fields: [{ name: 'name', type: 'string' }] } }))
      .toEqual({ crumbs: 'Entities', lines: ['added entity type Label (1 field: name)'] });
    expect(said({ op: 'update', path: 'entities/Task', before: { name: 'Task' }, after: { name: 'Task', displayName: 'To-do' } }))
      .toEqual({ crumbs: 'Entities ▸ Task', lines: ['set display name to “To-do”'] });
    expect(said({ op: 'reorder', path: 'entities', before: ['A', 'B'], after: ['B', 'A'] }).lines).toEqual(['reordered entity types: B, A']);
    expect(said({ op: 'remove', path: 'relationships/taskProject', before: { name: 'taskProject', kind: 'one-to-many', from: 'Project', to: 'Task', fromField: 'tasks', toField: 'project' } }))
      .toEqual({ crumbs: 'Relationships', lines: ['removed relationship taskProject (one-to-many, Project → Task)'] });
    expect(said({ op: 'update', path: 'relationships/taskProject', before: { name: 'r', onDelete: 'restrict' }, after: { name: 'r', onDelete: 'cascade' } }))
      .toEqual({ crumbs: 'Relationships ▸ taskProject', lines: ['changed on delete from “restrict” to “cascade”'] });
    expect(said({ op: 'add', path: 'pages/Tasks', after: { name: 'Tasks', route: '/tasks', components: [{ id: 'a', type: 'text' }] } }).lines)
      .toEqual(['added page Tasks (route /tasks, 1 component)']);
    expect(said({ op: 'update', path: 'pages/Tasks/components/new-task', before: { id: 'new-task', type: 'button', props: { label: 'New' } }, after: { id: 'new-task', type: 'button', props: { label: 'Add task' } } }))
      .toEqual({ crumbs: 'Pages ▸ Tasks ▸ components ▸ new-task', lines: ['changed props.label from “New” to “Add task”'] });
    expect(said({ op: 'add', path: 'pages/Tasks/components/grid', after: { id: 'grid', type: 'dataGrid' } }))
      .toEqual({ crumbs: 'Pages ▸ Tasks ▸ components', lines: ['added component grid (dataGrid)'] });
    expect(said({ op: 'reorder', path: 'pages/Tasks/components/form/children', before: ['a', 'b'], after: ['b', 'a'] }))
      .toEqual({ crumbs: 'Pages ▸ Tasks ▸ components ▸ form', lines: ['reordered children: b, a'] });
    expect(said({ op: 'add', path: 'xflows/notify', after: { name: 'notify', steps: [{}, {}] } }))
      .toEqual({ crumbs: 'Flows', lines: ['added flow notify (2 steps)'] });
  });

  it('says the description and reads escaped names', () => {
    expect(said({ op: 'update', path: 'description', before: 'Old', after: 'New' })).toEqual({ crumbs: 'Model', lines: ['changed the description from “Old” to “New”'] });
    expect(said({ op: 'add', path: 'description', after: 'Tasks' }).lines).toEqual(['set the description to “Tasks”']);
    expect(said({ op: 'add', path: 'pages/a~1b~0c', after: { name: 'a/b~c' } }).lines).toEqual(['added page a/b~c']);
  });

  it('cuts long values, keeping the whole for a tooltip', () => {
    const long = 'x'.repeat(100);
    const [line] = describeChange({ op: 'update', path: 'entities/Task/fields/title', before: { pattern: 'a' }, after: { pattern: long } }).lines;
    const piece = line?.pieces[3];
    expect(typeof piece === 'object' && piece.value.length).toBe(60);
    expect(typeof piece === 'object' && piece.full).toBe(show(long));
  });

  it('groups the changes by part, in their order', () => {
    const groups = describeChanges([
      { op: 'update', path: 'entities/Task/fields/title', before: title, after: { ...title, maxLength: 120 } },
      { op: 'add', path: 'entities/Task/fields/tags', after: { name: 'tags', type: 'string' } },
      { op: 'update', path: 'entities/Task/fields/title', before: { ...title, maxLength: 120 }, after: { ...title, maxLength: 120, minLength: 2 } },
      { op: 'remove', path: 'relationships/r', before: { name: 'r', kind: 'one-to-one', from: 'A', to: 'B' } },
    ]);
    expect(groups.map((g) => [g.crumbs.join(' ▸ '), g.lines.map(text)])).toEqual([
      ['Entities ▸ Task ▸ fields ▸ title', ['changed max length from 200 to 120', 'changed min length from 1 to 2']],
      ['Entities ▸ Task ▸ fields', ['added field tags (string)']],
      ['Relationships', ['removed relationship r (one-to-one, A → B)']],
    ]);
    expect(describeChanges([])).toEqual([]);
  });

  it('says members of values that are not objects, and counts the changes', () => {
    expect(memberLines(1, 2).map((p) => p.map((x) => (typeof x === 'string' ? x : x.value)).join(''))).toEqual(['changed value from 1 to 2']);
    expect(tally([{ op: 'add', path: 'a' }, { op: 'add', path: 'b' }, { op: 'update', path: 'c' }, { op: 'reorder', path: 'd' }])).toBe('2 added, 1 changed, 1 reordered');
  });
});
