import { describe, expect, it } from 'vitest';
import { History, type Action } from './history';

const act = (label: string): Action => ({ label, edits: [{ op: 'setDescription', value: label }], inverse: [{ op: 'setDescription', value: '' }] });

describe('History', () => {
  it('undoes the newest first, and a new action ends what could be redone', () => {
    const h = new History();
    h.record(act('a'));
    h.record(act('b'));
    expect(h.undoLabel).toBe('b');
    const b = h.popUndo();
    expect(b?.label).toBe('b');
    h.pushRedo(b as Action);
    expect(h.canRedo).toBe(true);
    expect(h.redoLabel).toBe('b');
    h.record(act('c'));
    expect(h.canRedo).toBe(false);
    expect(h.undoLabel).toBe('c');
  });

  it('keeps at most its limit, dropping the oldest', () => {
    const h = new History(3);
    for (const l of ['a', 'b', 'c', 'd']) h.record(act(l));
    const labels: string[] = [];
    for (let a = h.popUndo(); a; a = h.popUndo()) labels.push(a.label);
    expect(labels).toEqual(['d', 'c', 'b']);
  });

  it('folds a matching action into the last one: one undo takes both back, the first undone last', () => {
    const h = new History();
    h.record({ label: 'type', edits: [{ op: 'setDescription', value: 'x' }], inverse: [{ op: 'setDescription', value: '' }] });
    const folded = h.amend({ label: 'type', edits: [{ op: 'setDescription', value: 'xy' }], inverse: [{ op: 'setDescription', value: 'x' }] }, (l) => l.label === 'type');
    expect(folded).toBe(true);
    const a = h.popUndo();
    expect(a?.edits.map((e) => e.value)).toEqual(['x', 'xy']);
    expect(a?.inverse.map((e) => e.value)).toEqual(['x', '']);
    expect(h.canUndo).toBe(false);
    expect(h.amend(act('z'), () => true)).toBe(false); // nothing to fold into
  });

  it('drops a refused action wherever it is', () => {
    const h = new History();
    for (const l of ['a', 'b', 'c']) h.record(act(l));
    h.drop((a) => a.label === 'b');
    expect([h.popUndo()?.label, h.popUndo()?.label, h.popUndo()]).toEqual(['c', 'a', undefined]);
  });
});
