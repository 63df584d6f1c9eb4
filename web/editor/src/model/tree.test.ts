import { describe, expect, it } from 'vitest';
import type { Page } from './types';
import { componentIds, findComponent, modalsOf, parentOf, placeOf, walk } from './tree';

const page: Page = {
  name: 'Tasks',
  components: [
    { id: 'grid', type: 'DataGrid' },
    { id: 'new', type: 'Modal', children: [{ id: 'form', type: 'Form' }, { id: 'box', type: 'Container', children: [{ id: 'note', type: 'Text' }] }] },
  ],
};

describe('the component tree', () => {
  it('visits every component depth first, and stops when asked', () => {
    const seen: string[] = [];
    walk(page.components, (c) => void seen.push(c.id));
    expect(seen).toEqual(['grid', 'new', 'form', 'box', 'note']);
    const until: string[] = [];
    expect(walk(page.components, (c) => (until.push(c.id), c.id === 'form'))).toBe(true);
    expect(until).toEqual(['grid', 'new', 'form']);
  });

  it('finds a component, its place and its parent', () => {
    expect(findComponent(page, 'note')?.type).toBe('Text');
    expect(findComponent(page, 'nope')).toBeUndefined();
    expect(parentOf(page, 'note')?.id).toBe('box');
    expect(parentOf(page, 'grid')).toBeNull();
    expect(parentOf(page, 'nope')).toBeUndefined();
    const at = placeOf(page, 'box');
    expect(at && { index: at.index, parent: at.parent?.id, list: at.list.map((c) => c.id) }).toEqual({ index: 1, parent: 'new', list: ['form', 'box'] });
  });

  it('lists ids and modals at any depth', () => {
    expect([...componentIds(page)]).toEqual(['grid', 'new', 'form', 'box', 'note']);
    expect(modalsOf(page).map((m) => m.id)).toEqual(['new']);
  });
});
