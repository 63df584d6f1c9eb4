import { describe, expect, it } from 'vitest';
import { andFilter, ariaSort, editModalFor, equalsFilter, findComponent, nextSort, padding, rowsOf, stringProp } from './grid';
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
  it('pads the rows not rendered above and below', () => {
    expect(padding([{ start: 400, end: 440 }, { start: 440, end: 480 }], 4000)).toEqual({ top: 400, bottom: 3520 });
    expect(padding([{ start: 0, end: 40 }], 40)).toEqual({ top: 0, bottom: 0 });
    expect(padding([], 4000)).toEqual({ top: 0, bottom: 0 });
  });
});

describe('stringProp', () => {
  it('reads strings only', () => {
    expect(stringProp('Task')).toBe('Task');
    expect(stringProp({ a: 1 })).toBe('');
    expect(stringProp(undefined)).toBe('');
  });
});
