import { describe, expect, it } from 'vitest';
import { andFilter, ariaSort, backPage, bodyLines, editModalFor, entitiesOf, equalsFilter, findComponent, nextSort, openedFormEntity, rowActions, rowsOf, stringProp, withIndex } from './grid';
import type { Component } from './types';

const c = (id: string, type: string, position?: Component['position'], children?: Component[]): Component => ({
  id,
  type,
  props: type === 'Form' ? { entity: 'Task' } : {},
  ...(position ? { position } : {}),
  ...(children ? { children } : {}),
});

describe('rowsOf', () => {
  it('groups by row, orders by col, computes offsets and leaves Modals out', () => {
    const rows = rowsOf([
      c('grid', 'DataGrid', { row: 1, col: 0, span: 12 }),
      c('b', 'Button', { row: 0, col: 8, span: 2 }),
      c('a', 'Button', { row: 0, col: 2, span: 3 }),
      c('m', 'Modal', undefined, [c('f', 'Form')]),
    ]);
    expect(rows.map((r) => r.cells.map((x) => [x.component.id, x.span, x.offset]))).toEqual([
      [
        ['a', 3, 2],
        ['b', 2, 3],
      ],
      [['grid', 12, 0]],
    ]);
  });
  it('gives unplaced children a whole row each', () => {
    const rows = rowsOf([c('x', 'Text'), c('y', 'Text')]);
    expect(rows.map((r) => r.cells[0]?.span)).toEqual([12, 12]);
  });
});

describe('tree helpers', () => {
  const page = [c('m', 'Modal', undefined, [c('inner', 'Container', undefined, [c('f', 'Form')])])];
  it('finds nested components', () => {
    expect(findComponent(page, 'f')?.type).toBe('Form');
    expect(findComponent(page, 'nope')).toBeUndefined();
  });
  it('finds the page a Detail goes back to', () => {
    const detail: Component = { id: 'd', type: 'Detail', props: {}, actions: { onBack: { type: 'navigateTo', page: 'Tasks' } } };
    expect(backPage([c('x', 'Container', undefined, [detail])])).toBe('Tasks');
    expect(backPage(page)).toBeUndefined();
  });
  it('lists the entity types shown', () => {
    expect(entitiesOf([...page, { id: 'g', type: 'DataGrid', props: { entity: 'Tag' } }])).toEqual(['Tag', 'Task']);
  });
  it('finds the modal that edits an entity', () => {
    expect(editModalFor(page, 'Task')?.id).toBe('m');
    expect(editModalFor(page, 'Tag')).toBeUndefined();
  });
});

describe('sort and filter', () => {
  it('toggles the sort of a header', () => {
    expect(nextSort('', 'due')).toBe('due');
    expect(nextSort('due', 'due')).toBe('-due');
    expect(nextSort('-due', 'due')).toBe('due');
    expect(nextSort('-due', 'title')).toBe('title');
  });
  it('reports aria-sort from the first sort key', () => {
    expect(ariaSort('due,title', 'due')).toBe('ascending');
    expect(ariaSort('-due', 'due')).toBe('descending');
    expect(ariaSort('title', 'due')).toBe('none');
  });
  it('joins filters and quotes values', () => {
    expect(andFilter('', undefined)).toBe('');
    expect(andFilter('a = 1')).toBe('a = 1');
    expect(andFilter('a = 1 or b = 2', equalsFilter('status', 'do"ne'))).toBe('(a = 1 or b = 2) and (status = "do\\"ne")');
  });
});

describe('virtual rows', () => {
  it('stands a spacer for the rows not rendered above and below', () => {
    const rows = [{ index: 10, start: 400, end: 440 }, { index: 11, start: 440, end: 480 }];
    expect(bodyLines(rows, 4000)).toEqual([
      { kind: 'spacer', key: 'before-10', height: 400 },
      { kind: 'row', index: 10 },
      { kind: 'row', index: 11 },
      { kind: 'spacer', key: 'after', height: 3520 },
    ]);
    expect(bodyLines([{ index: 0, start: 0, end: 40 }], 40)).toEqual([{ kind: 'row', index: 0 }]);
    expect(bodyLines([], 4000)).toEqual([]);
  });

  it('leaves out the header before the rows (the scroll margin)', () => {
    expect(bodyLines([{ index: 0, start: 45, end: 85 }], 80, 45)).toEqual([
      { kind: 'row', index: 0 },
      { kind: 'spacer', key: 'after', height: 40 },
    ]);
  });

  it('keeps a focused row far from the others, with spacers around it', () => {
    const rows = [{ index: 2, start: 80, end: 120 }, { index: 50, start: 2000, end: 2040 }, { index: 51, start: 2040, end: 2080 }];
    expect(bodyLines(rows, 4000).map((l) => (l.kind === 'row' ? l.index : l.height))).toEqual([80, 2, 1880, 50, 51, 1920]);
    expect(withIndex([50, 51, 52], 2, 100)).toEqual([2, 50, 51, 52]);
    expect(withIndex([50, 51], 51, 100)).toEqual([50, 51]);
    expect(withIndex([50, 51], null, 100)).toEqual([50, 51]);
    expect(withIndex([0, 1], 7, 5)).toEqual([0, 1]);
  });
});

describe('row actions', () => {
  const form = (entity: string): Component => ({ id: `${entity}-fields`, type: 'Form', props: { entity } });
  const modal = (id: string, children: Component[]): Component => ({ id, type: 'Modal', props: {}, children });
  const page = [modal('task-form', [form('Task')]), modal('task-view', [{ id: 'd', type: 'Detail', props: { entity: 'Task' } }])];
  const all = () => true;
  const readOnly = (op: string) => op !== 'update' && op !== 'delete';

  it('finds the form a modal opens', () => {
    expect(openedFormEntity(page, { type: 'openModal', modal: 'task-form' })).toBe('Task');
    expect(openedFormEntity(page, { type: 'openModal', modal: 'task-view' })).toBeUndefined();
    expect(openedFormEntity(page, { type: 'navigateTo', page: 'x' })).toBeUndefined();
  });

  it('edits in the page\'s form by default, as far as allowed', () => {
    expect(rowActions(page, 'Task', {}, all)).toEqual({
      open: { type: 'openModal', modal: 'task-form' }, openEdits: true,
      edit: { type: 'openModal', modal: 'task-form' }, remove: { type: 'deleteEntity' },
    });
    expect(rowActions(page, 'Task', {}, readOnly)).toEqual({ openEdits: true });
  });

  it('keeps a click that does not edit, and edits in the form, not in what the click opens', () => {
    const view = { type: 'openModal' as const, modal: 'task-view' };
    expect(rowActions(page, 'Task', { onRowClick: view }, readOnly)).toEqual({ open: view, openEdits: false });
    expect(rowActions(page, 'Task', { onRowClick: view }, all).edit).toEqual({ type: 'openModal', modal: 'task-form' });
    const go = { type: 'navigateTo' as const, page: 'Task details' };
    expect(rowActions(page, 'Task', { onRowClick: go, onRowDelete: { type: 'deleteEntity', confirm: 'Sure?' } }, all)).toMatchObject({
      open: go, openEdits: false, remove: { confirm: 'Sure?' },
    });
  });
});

describe('stringProp', () => {
  it('reads strings only', () => {
    expect(stringProp('Task')).toBe('Task');
    expect(stringProp({ a: 1 })).toBe('');
    expect(stringProp(undefined)).toBe('');
  });
});
