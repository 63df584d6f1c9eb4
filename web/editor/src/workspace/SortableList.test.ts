import { describe, expect, it } from 'vitest';
import { moved } from './SortableList';

describe('moving an item of a list', () => {
  it('puts it where it was dropped', () => {
    expect(moved(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
    expect(moved(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'c', 'b']);
  });

  it('moves nothing in place or out of the list', () => {
    expect(moved(['a', 'b'], 1, 1)).toBeNull();
    expect(moved(['a', 'b'], 0, -1)).toBeNull();
    expect(moved(['a', 'b'], 1, 2)).toBeNull();
    expect(moved(['a', 'b'], -1, 0)).toBeNull();
  });
});
