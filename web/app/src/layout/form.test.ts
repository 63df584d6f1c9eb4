import { describe, expect, it } from 'vitest';
import { checkField, checkValues, initialValues, mergeValues, payload } from './form';
import type { Entity, FormField } from './types';

const title: FormField = { name: 'title', label: 'Title', type: 'string', widget: 'text', required: true, minLength: 1, maxLength: 200 };
const status: FormField = {
  name: 'status', label: 'Status', type: 'enum', widget: 'select', required: false, default: 'todo',
  options: [{ value: 'todo', label: 'todo' }, { value: 'done', label: 'done' }],
};
const priority: FormField = { name: 'priority', label: 'Priority', type: 'integer', widget: 'integer', required: false, min: 1, max: 5 };
const due: FormField = { name: 'due', label: 'Due', type: 'date', widget: 'date', required: false };
const fields = [title, status, priority, due];

describe('checks', () => {
  it('applies required, lengths, bounds and patterns', () => {
    expect(checkField(title, '')).toBe('is required');
    expect(checkField(title, 'x'.repeat(201))).toBe('must be at most 200 characters');
    expect(checkField(title, 'ok')).toBeNull();
    expect(checkField(priority, 6)).toBe('must be at most 5');
    expect(checkField(priority, 2.5)).toBe('must be an integer');
    expect(checkField(priority, '')).toBeNull();
    expect(checkField({ ...title, pattern: '^[a-z]+$' }, 'ABC')).toBe('does not match the expected format');
    expect(checkValues(fields, { title: '', status: 'todo', priority: 9, due: '' })).toEqual({
      title: 'is required',
      priority: 'must be at most 5',
    });
  });
});

describe('values', () => {
  const entity: Entity = {
    id: '1', type: 'Task', version: 3, createdAt: '', updatedAt: '', createdBy: '',
    data: { title: 'Write', status: 'done', priority: 2 },
  };
  it('starts from defaults or from the entity', () => {
    expect(initialValues(fields)).toEqual({ title: '', status: 'todo', priority: '', due: '' });
    expect(initialValues(fields, entity)).toEqual({ title: 'Write', status: 'done', priority: 2, due: '' });
  });
  it('keeps input of fields that still exist when the form changes', () => {
    const tags: FormField = { name: 'tags', label: 'Tags', type: 'string', widget: 'text', required: false, default: 'x' };
    expect(mergeValues([title, tags], { title: 'typed', priority: 4 })).toEqual({ title: 'typed', tags: 'x' });
  });
  it('sends set fields on create and changed ones on update', () => {
    expect(payload(fields, { title: 'A', status: 'todo', priority: '', due: '2025-01-02' })).toEqual({
      title: 'A', status: 'todo', due: '2025-01-02',
    });
    expect(payload(fields, { title: 'Write', status: 'todo', priority: '', due: '' }, entity)).toEqual({
      status: 'todo', priority: null,
    });
  });
});
