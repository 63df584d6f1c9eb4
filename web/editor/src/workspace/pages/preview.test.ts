import { describe, expect, it } from 'vitest';
import { todo } from '../../model/fixtures';
import type { Page } from '../../model/types';
import { defaultColumns, placeProblems, previewLinks, previewPage } from './preview';

describe('preview', () => {
  it('fills what the server fills', () => {
    const doc = todo();
    doc.pages[0]!.components!.push({ id: 'grid', type: 'DataGrid', position: { row: 1 }, props: { entity: 'Task' } } as never);
    const p = previewPage(doc, doc.pages[0] as Page);
    expect(p).toEqual({
      name: 'Tasks', route: '/tasks', title: 'Tasks', generated: false,
      components: [
        { id: 'new', type: 'Button', position: { row: 0, col: 0, span: 2 }, props: { label: 'New Task' } },
        { id: 'modal', type: 'Modal', props: { title: 'New' }, children: [
          { id: 'form', type: 'Form', props: { entity: 'Task', fields: ['title', 'status', 'due', 'project'], submitLabel: 'Save' } },
        ] },
        { id: 'grid', type: 'DataGrid', position: { row: 1, col: 0, span: 12 }, props: { entity: 'Task', columns: ['title', 'status', 'due'], pageSize: 20 } },
      ],
    });
    expect(previewLinks(doc)).toEqual([{ name: 'Tasks', route: '/tasks', title: 'Tasks' }]);
  });

  it('makes a half-edited page safe to render', () => {
    const doc = todo();
    const raw = {
      name: 'Odd Page',
      components: [
        { id: 'a', type: 'DataGrid', position: { row: -1, col: 20, span: 0 }, props: { entity: 7, columns: [], pageSize: 1000 } },
        { id: 'a', type: 'Button', props: { label: 3 }, actions: { onClick: { type: 'explode' }, onHover: 'x' } },
        { type: 'Text', props: 'nope' },
        'junk',
        { id: 'm', type: 'Modal', position: { row: 0 }, children: 'no' },
        { id: 'b', type: 'Button', props: { label: 'Go' }, actions: { onClick: { type: 'navigateTo', page: 'Tasks', modal: 3 } } },
      ],
    } as unknown as Page;
    const p = previewPage(doc, raw);
    expect(p.route).toBe('/odd-page');
    expect(p.title).toBe('Odd Page');
    expect(p.components).toEqual([
      { id: 'a', type: 'DataGrid', position: { row: 0, col: 11, span: 1 }, props: { entity: '', columns: ['id'], pageSize: 20 } },
      { id: 'a~2', type: 'Button', props: { label: '' } },
      { id: 'component-2', type: 'Text', props: { text: '' } },
      { id: 'm', type: 'Modal', props: {} },
      { id: 'b', type: 'Button', props: { label: 'Go' }, actions: { onClick: { type: 'navigateTo', page: 'Tasks' } } },
    ]);
  });

  it('chooses default columns as the server does', () => {
    const doc = todo();
    doc.entities[0]!.fields.push({ name: 'notes', type: 'text' }, { name: 'meta', type: 'json' });
    expect(defaultColumns(doc, 'Task')).toEqual(['title', 'status', 'due']);
    expect(defaultColumns(doc, 'Nope')).toEqual(['id']);
  });

  it('places the server problems on components', () => {
    const page = todo().pages[0] as Page;
    expect(placeProblems(page, {
      route: 'must be "/" followed by segments',
      'components[0].props.label': 'must not be empty',
      'components[1].children[0].props.entity': 'is required',
      'components[1].position': 'must be absent',
      'components[7].id': 'is required',
    })).toEqual({
      page: { route: 'must be "/" followed by segments' },
      components: { new: { 'props.label': 'must not be empty' }, form: { 'props.entity': 'is required' }, modal: { position: 'must be absent' } },
      other: { 'components[7].id': 'is required' },
    });
  });
});
