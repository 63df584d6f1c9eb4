import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../model/edits';
import { todo } from '../../model/fixtures';
import type { Page } from '../../model/types';
import { insert, move, nudge, pack, placeNew, positionEdits, rowsOf, setCol, setSpan, type Rows } from './grid';

const page = (): Page => ({
  name: 'P',
  components: [
    { id: 'grid', type: 'DataGrid', position: { row: 3, col: 0, span: 12 } },
    { id: 'new', type: 'Button', position: { row: 1, col: 0, span: 2 } },
    { id: 'help', type: 'Text', position: { row: 1, col: 4, span: 8 } },
    { id: 'modal', type: 'Modal' },
    { id: 'loose', type: 'Text' },
  ],
});

const ids = (rows: Rows) => rows.map((r) => r.map((c) => `${c.id}@${c.col}+${c.span}`).join(' '));

describe('grid', () => {
  it('lays components out in rows by row and column, modals aside, loose ones last', () => {
    expect(ids(rowsOf(page().components))).toEqual(['new@0+2 help@4+8', 'grid@0+12', 'loose@0+12']);
  });

  it('packs: cells keep their column when there is room, move left, narrow, then wrap', () => {
    expect(ids(pack([[{ id: 'a', col: 2, span: 4 }, { id: 'b', col: 4, span: 4 }]]))).toEqual(['a@2+4 b@6+4']);
    expect(ids(pack([[{ id: 'a', col: 0, span: 8 }, { id: 'b', col: 8, span: 6 }]]))).toEqual(['a@0+8 b@8+4']);
    expect(ids(pack([[{ id: 'a', col: 0, span: 12 }, { id: 'b', col: 0, span: 6 }], []]))).toEqual(['a@0+12', 'b@0+6']);
  });

  it('inserts into a row, before a cell or at the end, or as a new row', () => {
    const rows = rowsOf(page().components);
    expect(ids(insert(rows, 'x', 12, { row: 0 }))).toEqual(['new@0+2 help@4+8', 'x@0+12', 'grid@0+12', 'loose@0+12']);
    expect(ids(insert(rows, 'x', 2, { row: 0, before: 'help' }))).toEqual(['new@0+2 x@4+2 help@6+6', 'grid@0+12', 'loose@0+12']);
    expect(ids(insert(rows, 'x', 12, { newRow: 0 }))).toEqual(['x@0+12', 'new@0+2 help@4+8', 'grid@0+12', 'loose@0+12']);
    expect(ids(insert(rows, 'x', 6, { row: 1 }))).toEqual(['new@0+2 help@4+8', 'grid@0+12', 'x@0+6', 'loose@0+12']);
  });

  it('moves a cell, dropping the row it leaves empty', () => {
    const rows = rowsOf(page().components);
    // Into a row with room left, a cell is narrowed to that room.
    expect(ids(move(rows, 'grid', { row: 0, before: 'new' }))).toEqual(['grid@0+2 new@2+2 help@4+8', 'loose@0+12']);
    expect(ids(move(rows, 'grid', { newRow: 0 }))).toEqual(['grid@0+12', 'new@0+2 help@4+8', 'loose@0+12']);
    expect(ids(move(rows, 'loose', { row: 1 }))).toEqual(['new@0+2 help@4+8', 'grid@0+12', 'loose@0+12']);
    expect(ids(move(rows, 'help', { newRow: 3 }))).toEqual(['new@0+2', 'grid@0+12', 'loose@0+12', 'help@0+8']);
  });

  it('resizes and moves across columns', () => {
    const rows = rowsOf(page().components);
    expect(ids(setSpan(rows, 'new', 6))).toEqual(['new@0+6 help@6+6', 'grid@0+12', 'loose@0+12']);
    expect(ids(setSpan(rows, 'new', 20))).toEqual(['new@0+12', 'help@0+8', 'grid@0+12', 'loose@0+12']);
    expect(ids(setCol(rows, 'new', 10))).toEqual(['help@4+8', 'new@0+2', 'grid@0+12', 'loose@0+12']);
    expect(ids(setCol(rows, 'help', 2))).toEqual(['new@0+2 help@2+8', 'grid@0+12', 'loose@0+12']);
  });

  it('nudges from the keyboard', () => {
    const rows = rowsOf(page().components);
    expect(ids(nudge(rows, 'help', 'left'))).toEqual(['help@0+8 new@8+2', 'grid@0+12', 'loose@0+12']);
    expect(ids(nudge(rows, 'new', 'right'))).toEqual(['help@0+8 new@8+2', 'grid@0+12', 'loose@0+12']);
    expect(ids(nudge(rows, 'new', 'left'))).toEqual(ids(rows));
    // The row above is full: the grid goes into a new row above it.
    expect(ids(nudge(rows, 'grid', 'up'))).toEqual(['grid@0+12', 'new@0+2 help@4+8', 'loose@0+12']);
    // The row above has room: the grid joins it, narrowed to fit.
    expect(ids(nudge(setSpan(rows, 'help', 4), 'grid', 'up'))).toEqual(['new@0+2 help@4+4 grid@8+4', 'loose@0+12']);
    expect(ids(nudge(rows, 'new', 'up'))).toEqual(['new@0+2', 'help@4+8', 'grid@0+12', 'loose@0+12']);
    expect(ids(nudge(rows, 'help', 'down'))).toEqual(['new@0+2', 'grid@0+12', 'help@0+8', 'loose@0+12']);
    expect(ids(nudge(rows, 'new', 'ownRow'))).toEqual(['help@4+8', 'new@0+2', 'grid@0+12', 'loose@0+12']);
  });

  it('turns rows into the position edits of the components that moved', () => {
    const p = page();
    const edits = positionEdits(p, nudge(rowsOf(p.components), 'help', 'left'));
    expect(edits).toEqual([
      { op: 'updateComponent', page: 'P', component: 'help', value: { position: { row: 0, col: 0, span: 8 } } },
      { op: 'updateComponent', page: 'P', component: 'new', value: { position: { row: 0, col: 8, span: 2 } } },
      { op: 'updateComponent', page: 'P', component: 'grid', value: { position: { row: 1, col: 0, span: 12 } } },
      { op: 'updateComponent', page: 'P', component: 'loose', value: { position: { row: 2, col: 0, span: 12 } } },
    ]);
    const doc = todo();
    doc.pages = [p];
    const after = applyEdits(doc, edits);
    expect(ids(rowsOf(after.pages[0]?.components))).toEqual(['help@0+8 new@8+2', 'grid@0+12', 'loose@0+12']);
  });

  it('places a new component and moves the others out of its way', () => {
    const p = page();
    const { position, edits } = placeNew(p, 'x', 12, { newRow: 1 });
    expect(position).toEqual({ row: 1, col: 0, span: 12 });
    expect(edits.map((e) => `${e.component ?? ''}:${JSON.stringify(e.value)}`)).toEqual([
      'new:{"position":{"row":0,"col":0,"span":2}}',
      'help:{"position":{"row":0,"col":4,"span":8}}',
      'grid:{"position":{"row":2,"col":0,"span":12}}',
      'loose:{"position":{"row":3,"col":0,"span":12}}',
    ]);
  });
});
