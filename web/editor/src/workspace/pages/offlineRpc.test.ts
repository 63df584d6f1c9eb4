import { describe, expect, it } from 'vitest';
import { todo } from '../../model/fixtures';
import { answerOffline, formDefinition, humanize, offlineCalls } from './offlineRpc';

describe('the preview without data', () => {
  it('labels fields as the server does', () => {
    expect(humanize('dueDate')).toBe('Due date');
    expect(humanize('homepageURL')).toBe('Homepage URL');
    expect(humanize('quantity')).toBe('Quantity');
  });

  it('makes form definitions from the document', () => {
    const doc = todo();
    expect(formDefinition(doc, 'Task', ['title', 'status', 'project', 'id'])).toEqual({
      entity: 'Task', title: 'Task', fields: [
        { name: 'title', label: 'Title', type: 'string', widget: 'text', required: true, maxLength: 200 },
        { name: 'status', label: 'Status', type: 'enum', widget: 'select', required: false, options: [{ value: 'todo', label: 'todo' }, { value: 'done', label: 'done' }] },
        { name: 'project', label: 'Project', type: 'string', widget: 'relation', required: false,
          relation: { entity: 'Project', relationship: 'projectTasks', displayField: 'name', multiple: false } },
        { name: 'id', label: 'ID', type: 'string', widget: 'text', required: false, readOnly: true },
      ],
    });
    expect(formDefinition(doc, 'Nope')).toContain('no entity type "Nope"');
    expect(formDefinition(doc, 'Task', ['x'])).toContain('no field "x"');
  });

  it('answers the calls of the app "" only', () => {
    expect(offlineCalls(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'loadEntityData', params: { app: '', entity: 'Task' } }))).toHaveLength(1);
    expect(offlineCalls(JSON.stringify([{ id: 1, params: { app: '' } }, { id: 2, params: { app: 'todo' } }]))).toBeNull();
    expect(offlineCalls(JSON.stringify({ id: 1, params: { app: 'todo' } }))).toBeNull();
    expect(offlineCalls('not json')).toBeNull();
    const doc = todo();
    expect(answerOffline(doc, { id: 3, method: 'loadEntityData', params: { app: '' } })).toEqual({ jsonrpc: '2.0', id: 3, result: { items: [], nextCursor: null, total: 0 } });
    expect(answerOffline(doc, { id: 4, method: 'getFormDefinition', params: { app: '', entity: 'Project' } }))
      .toEqual({ jsonrpc: '2.0', id: 4, result: { form: { entity: 'Project', title: 'Project', fields: [{ name: 'name', label: 'Name', type: 'string', widget: 'text', required: false }] } } });
    expect(answerOffline(doc, { id: 5, method: 'createEntity', params: { app: '' } })).toMatchObject({ id: 5, error: { message: 'Create an app from this model to see its data' } });
  });
});
