import { describe, expect, it } from 'vitest';
import { entityLabel, idFilter, idsFilter, lookups, searchText, toOptions, withSelected } from './relation';
import type { Entity, FormField } from './types';

const entity = (id: string, data: Record<string, unknown>): Entity => ({
  id, type: 'Project', data, version: 1, createdAt: '', updatedAt: '', createdBy: '',
});

describe('entityLabel', () => {
  it.each([
    ['uses the display field', entity('p1', { name: 'Apollo' }), 'name', 'Apollo'],
    ['falls back to the id when the field is missing', entity('p1', {}), 'name', 'p1'],
    ['falls back to the id when the field is null', entity('p1', { name: null }), 'name', 'p1'],
    ['falls back to the id when the field is blank', entity('p1', { name: '  ' }), 'name', 'p1'],
    ['reads the id when the display field is "id"', entity('p1', { name: 'x' }), 'id', 'p1'],
    ['writes numbers as text', entity('p1', { code: 7 }), 'code', '7'],
  ])('%s', (_, e, field, want) => {
    expect(entityLabel(e, field)).toBe(want);
  });
});

describe('toOptions', () => {
  it('maps entities to id values and display labels, in order', () => {
    expect(toOptions([entity('b', { name: 'Beta' }), entity('a', {})], 'name')).toEqual([
      { value: 'b', label: 'Beta' },
      { value: 'a', label: 'a' },
    ]);
  });
});

describe('withSelected', () => {
  const opts = [{ value: 'a', label: 'A' }];
  it('adds the picked option first when missing', () => {
    expect(withSelected(opts, { value: 'z', label: 'Z' })).toEqual([{ value: 'z', label: 'Z' }, ...opts]);
  });
  it('keeps the options when the picked one is there', () => {
    expect(withSelected(opts, { value: 'a', label: 'A' })).toBe(opts);
  });
  it('keeps the options when nothing is picked', () => {
    expect(withSelected(opts, null)).toBe(opts);
  });
});

describe('filters', () => {
  it('quotes an id', () => {
    expect(idFilter('01H"x')).toBe('id = "01H\\"x"');
  });
  it('lists distinct ids', () => {
    expect(idsFilter(['a', 'b', 'a'])).toBe('id in ["a", "b"]');
  });
  it('is empty for no ids', () => {
    expect(idsFilter([])).toBe('');
  });
});

describe('lookups', () => {
  const fields: FormField[] = [
    { name: 'title', label: 'Title', type: 'string', widget: 'text', required: true },
    {
      name: 'project', label: 'Project', type: 'string', widget: 'relation', required: false,
      relation: { entity: 'Project', relationship: 'project_tasks', displayField: 'name', multiple: false },
    },
  ];
  const tasks = [
    entity('t1', { title: 'a', project: 'p1' }),
    entity('t2', { title: 'b', project: 'p2' }),
    entity('t3', { title: 'c', project: 'p1' }),
    entity('t4', { title: 'd', project: null }),
  ];
  it('asks once per reference column, for its distinct ids', () => {
    expect(lookups(fields, ['title', 'project'], tasks)).toEqual([
      { column: 'project', entity: 'Project', displayField: 'name', filter: 'id in ["p1", "p2"]', limit: 2 },
    ]);
  });
  it('asks nothing when no reference column is shown', () => {
    expect(lookups(fields, ['title'], tasks)).toEqual([]);
  });
  it('asks nothing when no row refers to anything', () => {
    expect(lookups(fields, ['project'], [tasks[3]!])).toEqual([]);
  });
});

describe('searchText', () => {
  const picked = { value: 'p1', label: 'Apollo' };
  it.each([
    ['is the typed text, trimmed', ' apo ', null, 'apo'],
    ['is empty while the input shows the picked label', 'Apollo', picked, ''],
    ['is the typed text once it differs from the label', 'Apol', picked, 'Apol'],
  ])('%s', (_, typed, selected, want) => {
    expect(searchText(typed, selected)).toBe(want);
  });
});
