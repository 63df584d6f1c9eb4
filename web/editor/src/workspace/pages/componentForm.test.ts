import { describe, expect, it } from 'vitest';
import { todo } from '../../model/fixtures';
import type { JSONObject } from '../../model/types';
import {
  actionSchema, componentIdSchema, eventActions, fromActionForm, parseSort, propsProblems, sortString, sortableFields, toActionForm, withType, type ActionForm,
} from './componentForm';

const ctx = { modals: ['task-modal'], pages: ['Tasks', 'Home'], components: ['task-grid', 'task-modal'] };
const blank: ActionForm = { type: '', modal: '', page: '', target: '', confirm: '' };

describe('component form', () => {
  it('checks ids', () => {
    const s = componentIdSchema(['task-grid']);
    expect(s.safeParse('new-task').success).toBe(true);
    expect(s.safeParse('task-grid').error?.issues[0]?.message).toBe('Another component of the page has this id');
    expect(s.safeParse('new task').error?.issues[0]?.message).toContain('letters, digits');
    expect(s.safeParse('').error?.issues[0]?.message).toBe('An id is required');
    expect(s.safeParse('x'.repeat(65)).success).toBe(false);
  });

  it('checks props per type', () => {
    const doc = todo();
    expect(propsProblems('DataGrid', doc, { entity: 'Task', columns: ['title', 'id'], pageSize: 20, sort: '-due' })).toEqual({});
    expect(propsProblems('DataGrid', doc, {})).toEqual({ entity: 'Choose an entity type' });
    expect(propsProblems('DataGrid', doc, { entity: 'Nope' })).toEqual({ entity: 'No entity type with this name' });
    expect(propsProblems('DataGrid', doc, { entity: 'Task', columns: [] })).toEqual({ columns: 'Choose at least one column' });
    expect(propsProblems('DataGrid', doc, { entity: 'Task', columns: ['title', 'name'] })).toEqual({ columns: 'No field "name" in Task' });
    expect(propsProblems('DataGrid', doc, { entity: 'Task', pageSize: 500 })).toEqual({ pageSize: 'From 1 to 200' });
    expect(propsProblems('DataGrid', doc, { entity: 'Task', pageSize: 2.5 })).toEqual({ pageSize: 'A whole number' });
    expect(propsProblems('DataGrid', doc, { entity: 'Task', sort: 'name' })).toEqual({ sort: 'Sort by a field of the entity type (not a json one)' });
    expect(propsProblems('Form', doc, { entity: 'Task', fields: ['title', 'id'] })).toEqual({ fields: 'No field "id" in Task' });
    expect(propsProblems('Detail', doc, { entity: 'Task', fields: ['title', 'id'] })).toEqual({});
    expect(propsProblems('Button', doc, { label: ' ' })).toEqual({ label: 'A label is required' });
    expect(propsProblems('Button', doc, {})).toEqual({ label: 'A label is required' });
    expect(propsProblems('Text', doc, { text: '' })).toEqual({});
    expect(propsProblems('Modal', doc, {})).toEqual({});
  });

  it('reads and writes sorts', () => {
    expect(parseSort('-due,title')).toEqual({ field: 'due', desc: true });
    expect(parseSort('title')).toEqual({ field: 'title', desc: false });
    expect(parseSort('')).toBeNull();
    expect(sortString({ field: 'due', desc: true })).toBe('-due');
    expect(sortString(null)).toBeNull();
    expect(sortableFields(todo(), 'Task')).toContain('createdAt');
  });

  it('round-trips actions with only the members their type reads', () => {
    const cases: JSONObject[] = [
      { type: 'openModal', modal: 'task-modal' },
      { type: 'closeModal', modal: 'task-modal' },
      { type: 'navigateTo', page: 'Home' },
      { type: 'refresh' },
      { type: 'refresh', target: 'task-grid' },
      { type: 'submitForm' },
      { type: 'deleteEntity', confirm: 'Sure?' },
    ];
    for (const a of cases) expect(fromActionForm(toActionForm(a))).toEqual(a);
    expect(fromActionForm({ ...blank, type: 'navigateTo', page: 'Home', modal: 'x' })).toEqual({ type: 'navigateTo', page: 'Home' });
    expect(fromActionForm(blank)).toBeNull();
    expect(toActionForm({ type: 'explode' }).type).toBe('');
  });

  it('checks actions against the page and the model', () => {
    const s = actionSchema(ctx);
    const msg = (v: Partial<ActionForm>) => s.safeParse({ ...blank, ...v }).error?.issues[0]?.message ?? null;
    expect(msg({ type: 'openModal', modal: 'task-modal' })).toBeNull();
    expect(msg({ type: 'openModal' })).toBe('Choose a modal');
    expect(msg({ type: 'closeModal', modal: 'task-grid' })).toBe('No Modal with this id in the page');
    expect(msg({ type: 'navigateTo', page: 'Nowhere' })).toBe('No page with this name');
    expect(msg({ type: 'refresh', target: 'gone' })).toBe('No component with this id in the page');
    expect(msg({ type: 'refresh' })).toBeNull();
    expect(msg({ type: 'submitForm' })).toBeNull();
  });

  it('chooses the obvious modal or page when the type changes', () => {
    expect(withType(blank, 'openModal', ctx).modal).toBe('task-modal');
    expect(withType(blank, 'navigateTo', ctx).page).toBe('Tasks');
    expect(withType({ ...blank, page: 'Home' }, 'navigateTo', ctx).page).toBe('Home');
  });

  it('offers the likely actions of each event first', () => {
    expect(eventActions('Form', 'onSubmit')).toEqual(['submitForm']);
    expect(eventActions('DataGrid', 'onRowDelete')[0]).toBe('deleteEntity');
    expect(eventActions('Button', 'onClick')).not.toContain('deleteEntity');
    expect(eventActions('Form', 'onSuccess').slice(0, 2)).toEqual(['closeModal', 'navigateTo']);
  });
});
