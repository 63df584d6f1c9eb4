// The 12-column grid of a page in the designer: the top-level components
// (Modals aside: they open over the page) as rows of cells, the moves the
// designer makes on them (insert, move, resize), and the updateComponent
// edits that give each component its new position.
//
// Every move ends in pack: rows numbered 0, 1, 2… in order, each cell at
// its column or right after the one before it, narrowed to fit, and moved
// to a row of its own below when nothing of it fits.

import { equal } from '../../model/patch';
import type { Edit, Page, PageComponent } from '../../model/types';

export const columns = 12;

export interface Cell {
  id: string;
  col: number;
  span: number;
}

export type Rows = Cell[][];

/** Where a component goes: into row (an index of rows) before the cell before (at the end when absent), or into a new row at index. */
export type Target = { row: number; before?: string } | { newRow: number };

function int(v: unknown, dflt: number): number {
  return typeof v === 'number' && Number.isInteger(v) ? v : dflt;
}

/** placed reports whether a top-level component sits on the grid (Modals do not). */
export function placed(c: PageComponent): boolean {
  return c.type !== 'Modal';
}

/**
 * rowsOf lays the page's top-level components out as the app does: by
 * row, then by column; those without a position take a row of their own
 * after the others.
 */
export function rowsOf(components: readonly PageComponent[] | undefined): Rows {
  const byRow = new Map<number, Cell[]>();
  const free: Rows = [];
  for (const c of components ?? []) {
    if (!placed(c)) continue;
    const p = c.position;
    if (!p) {
      free.push([{ id: c.id, col: 0, span: columns }]);
      continue;
    }
    const col = Math.min(Math.max(int(p.col, 0), 0), columns - 1);
    const span = Math.min(Math.max(int(p.span, columns - col), 1), columns);
    const row = int(p.row, 0);
    const list = byRow.get(row) ?? [];
    list.push({ id: c.id, col, span });
    byRow.set(row, list);
  }
  const rows = [...byRow.entries()].sort(([a], [b]) => a - b).map(([, cells]) => cells.sort((a, b) => a.col - b.col));
  return [...rows, ...free];
}

/** pack numbers rows in order and fits their cells into 12 columns (see above). */
export function pack(rows: Rows): Rows {
  const out: Rows = [];
  const queue = rows.map((r) => r.map((c) => ({ ...c })));
  while (queue.length) {
    const row = queue.shift() as Cell[];
    const fitted: Cell[] = [];
    const overflow: Cell[] = [];
    let end = 0;
    for (const c of row) {
      let col = Math.max(c.col, end);
      let span = Math.max(1, Math.min(c.span, columns));
      if (col + span > columns) col = end;
      if (col + span > columns) span = columns - col;
      if (span < 1) {
        overflow.push({ id: c.id, col: 0, span: c.span });
        continue;
      }
      fitted.push({ id: c.id, col, span });
      end = col + span;
    }
    if (fitted.length) out.push(fitted);
    if (overflow.length) queue.unshift(overflow);
  }
  return out;
}

function without(rows: Rows, id: string): { rows: Rows; cell: Cell | undefined } {
  let cell: Cell | undefined;
  const next = rows.map((r) => r.filter((c) => (c.id === id ? ((cell = c), false) : true)));
  return { rows: next, cell };
}

/** rowEnd is the first free column after a row's cells. */
function rowEnd(row: Cell[]): number {
  return row.reduce((m, c) => Math.max(m, c.col + c.span), 0);
}

/**
 * insert puts a cell of the given span at target: in a row, at the column
 * of the cell it goes before (which moves right) or after the last one,
 * narrowed to the room left when the row has some.
 */
export function insert(rows: Rows, id: string, span: number, target: Target): Rows {
  const next = rows.map((r) => [...r]);
  if ('newRow' in target) {
    next.splice(Math.max(0, Math.min(target.newRow, next.length)), 0, [{ id, col: 0, span }]);
    return pack(next);
  }
  const row = next[target.row];
  if (!row) {
    next.push([{ id, col: 0, span }]);
    return pack(next);
  }
  const at = target.before ? row.findIndex((c) => c.id === target.before) : -1;
  if (at < 0) {
    const end = rowEnd(row);
    const room = columns - end;
    row.push({ id, col: end, span: room > 0 ? Math.min(span, room) : span });
  } else {
    const used = row.reduce((n, c) => n + c.span, 0);
    const room = columns - used;
    row.splice(at, 0, { id, col: (row[at] as Cell).col, span: room > 0 ? Math.min(span, room) : span });
  }
  return pack(next);
}

/** move takes component id from where it is to target, keeping its span. */
export function move(rows: Rows, id: string, target: Target): Rows {
  const { rows: rest, cell } = without(rows, id);
  if (!cell) return rows;
  // Row indexes of the target count the rows as they were; a row emptied
  // by the move is dropped by pack, after the insert.
  return insert(rest, id, cell.span, target);
}

/** setSpan resizes a cell; the cells after it move right, and to a row below when they no longer fit. */
export function setSpan(rows: Rows, id: string, span: number): Rows {
  return pack(rows.map((r) => r.map((c) => (c.id === id ? { ...c, span: Math.max(1, Math.min(columns - c.col, span)) } : c))));
}

/** setCol moves a cell to another column of its row. */
export function setCol(rows: Rows, id: string, col: number): Rows {
  const next = rows.map((r) => {
    const i = r.findIndex((c) => c.id === id);
    if (i < 0) return r;
    const c = r[i] as Cell;
    const col2 = Math.max(0, Math.min(columns - 1, col));
    const moved = { ...c, col: col2, span: Math.min(c.span, columns - col2) };
    const rest = r.filter((x) => x.id !== id);
    const at = rest.findIndex((x) => x.col >= col2);
    rest.splice(at < 0 ? rest.length : at, 0, moved);
    return rest;
  });
  return pack(next);
}

/** locate finds the row index and the index in the row of a cell. */
export function locate(rows: Rows, id: string): { row: number; index: number } | null {
  for (let r = 0; r < rows.length; r++) {
    const i = (rows[r] as Cell[]).findIndex((c) => c.id === id);
    if (i >= 0) return { row: r, index: i };
  }
  return null;
}

export type Step = 'left' | 'right' | 'up' | 'down' | 'ownRow';

/**
 * nudge is a keyboard move: left and right swap with the neighbour in the
 * row; up and down move to the end of the row above or below when it has
 * room, else into a new row past it (nothing at the edge when the cell
 * is alone in its row); ownRow gives the cell a row of its own below.
 */
export function nudge(rows: Rows, id: string, step: Step): Rows {
  const at = locate(rows, id);
  if (!at) return rows;
  const row = rows[at.row] as Cell[];
  const hasRoom = (r: number) => rowEnd(rows[r] ?? []) < columns;
  switch (step) {
    case 'left':
    case 'right': {
      const other = at.index + (step === 'left' ? -1 : 1);
      if (other < 0 || other >= row.length) return rows;
      const a = row[at.index] as Cell;
      const b = row[other] as Cell;
      const [first, second] = step === 'left' ? [a, b] : [b, a];
      const start = Math.min(a.col, b.col);
      const swapped = row.map((c, i) => {
        if (i === Math.min(at.index, other)) return { ...first, col: start };
        if (i === Math.max(at.index, other)) return { ...second, col: start + first.span };
        return c;
      });
      return pack(rows.map((r, i) => (i === at.row ? swapped : r)));
    }
    case 'up':
      if (at.row === 0) return row.length === 1 ? rows : move(rows, id, { newRow: 0 });
      return move(rows, id, hasRoom(at.row - 1) ? { row: at.row - 1 } : { newRow: at.row - 1 });
    case 'down':
      if (at.row === rows.length - 1) return row.length === 1 ? rows : move(rows, id, { newRow: rows.length });
      return move(rows, id, hasRoom(at.row + 1) ? { row: at.row + 1 } : { newRow: at.row + 2 });
    case 'ownRow':
      return row.length === 1 ? rows : move(rows, id, { newRow: at.row + 1 });
  }
}

/**
 * positionEdits are the updateComponent edits that give each top-level
 * component of page its position in rows (row = index of its row); none
 * for those already there.
 */
export function positionEdits(page: Page, rows: Rows): Edit[] {
  const edits: Edit[] = [];
  rows.forEach((row, r) =>
    row.forEach((cell) => {
      const c = page.components?.find((x) => x.id === cell.id);
      const position = { row: r, col: cell.col, span: cell.span };
      if (c && !equal(c.position, position)) edits.push({ op: 'updateComponent', page: page.name, component: cell.id, value: { position } });
    }),
  );
  return edits;
}

/** placeNew is where a new component of span goes at target, with the moves of the others. */
export function placeNew(page: Page, id: string, span: number, target: Target): { position: { row: number; col: number; span: number }; edits: Edit[] } {
  const rows = insert(rowsOf(page.components), id, span, target);
  const at = locate(rows, id) as { row: number; index: number };
  const cell = (rows[at.row] as Cell[])[at.index] as Cell;
  const others = rows.map((r) => r.filter((c) => c.id !== id));
  return { position: { row: at.row, col: cell.col, span: cell.span }, edits: positionEdits(page, others) };
}
