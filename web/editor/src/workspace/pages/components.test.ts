import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../model/edits';
import { todo } from '../../model/fixtures';
import type { JSONValue, Page } from '../../model/types';
import { dataFields, formModalEdits, freeId, idBase, newComponent, removeComponentEdits, renameComponentEdits } from './components';

describe('components', () => {
  it('lists the data fields of an entity type, reference fields last', () => {
    expect(dataFields(todo(), 'Task')).toEqual(['title', 'status', 'due', 'project']);
    expect(dataFields(todo(), 'Project')).toEqual(['name']);
    expect(dataFields(todo(), 'Nope')).toEqual([]);
  });

  it('makes free, valid ids', () => {
    expect(freeId('task-grid', new Set())).toBe('task-grid');
    expect(freeId('task-grid', new Set(['task-grid', 'task-grid-2']))).toBe('task-grid-3');
    expect(freeId('Tâche liste!', new Set())).toBe('T-che-liste');
    expect(freeId('', new Set())).toBe('component');
    expect(freeId('x'.repeat(100), new Set()).length).toBeLessThanOrEqual(64);
    expect(idBase('DataGrid', { entity: 'OrderLine' })).toBe('order-line-grid');
    expect(idBase('Button', { label: 'New Task' })).toBe('new-task');
    expect(idBase('Container', {})).toBe('container');
  });

  it('makes components that are useful at once', () => {
    const doc = todo();
    const page = doc.pages[0] as Page;
    expect(newComponent('DataGrid', { doc, page, entity: 'Task' })).toEqual({
      id: 'task-grid', type: 'DataGrid', props: { entity: 'Task', columns: ['title', 'status', 'due', 'project'], pageSize: 20 },
    });
    // The page's form is of Task: a new form binds to it too.
    expect(newComponent('Form', { doc, page })).toEqual({
      id: 'task-form', type: 'Form', props: { entity: 'Task', fields: ['title', 'status', 'due', 'project'], submitLabel: 'Save' },
      actions: { onSubmit: { type: 'submitForm' } },
    });
    expect(newComponent('Modal', { doc, page })).toEqual({ id: 'dialog', type: 'Modal', props: { title: 'Dialog' }, children: [] });
    expect(newComponent('Button', { doc, page }, { label: 'New' }).id).toBe('new-2');
  });

  it('opens a new form modal from a button in one action', () => {
    const doc = todo();
    const page = doc.pages[0] as Page;
    const { edits, modal } = formModalEdits(doc, page, 'new', 'Project');
    expect(modal).toBe('project-modal');
    const after = applyEdits(doc, edits).pages[0] as Page;
    const m = after.components?.find((c) => c.id === 'project-modal');
    expect(m).toEqual({
      id: 'project-modal', type: 'Modal', props: { title: 'New Project' },
      children: [{ id: 'project-form', type: 'Form', props: { entity: 'Project', fields: ['name'], submitLabel: 'Save' }, actions: { onSubmit: { type: 'submitForm' } } }],
    });
    expect(after.components?.find((c) => c.id === 'new')?.actions).toEqual({ onClick: { type: 'openModal', modal: 'project-modal' } });
    // A button still labelled "Button" gets a label saying what it does.
    page.components?.push({ id: 'b', type: 'Button', props: { label: 'Button' }, position: { row: 1, col: 0, span: 2 } });
    const labelled = applyEdits(doc, formModalEdits(doc, page, 'b', 'Task').edits).pages[0] as Page;
    expect(labelled.components?.find((c) => c.id === 'b')?.props).toEqual({ label: 'New Task' });
  });

  it('renames a component with the actions that name it', () => {
    const doc = todo();
    const page = doc.pages[0] as Page;
    page.components![0]!.actions = { onClick: { type: 'openModal', modal: 'modal' } };
    const after = applyEdits(doc, renameComponentEdits(page, 'modal', 'task-modal')).pages[0] as Page;
    expect(after.components?.map((c) => c.id)).toEqual(['new', 'task-modal']);
    expect(after.components?.[0]?.actions).toEqual({ onClick: { type: 'openModal', modal: 'task-modal' } });
  });

  it('removes a component and the actions that name it or its children', () => {
    const doc = todo();
    const page = doc.pages[0] as Page;
    page.components![0]!.actions = { onClick: { type: 'openModal', modal: 'modal' } };
    const edits = removeComponentEdits(page, 'modal');
    expect(edits).toEqual([
      { op: 'updateComponent', page: 'Tasks', component: 'new', value: { actions: null } },
      { op: 'removeComponent', page: 'Tasks', component: 'modal' },
    ]);
    const after = applyEdits(doc, edits).pages[0] as Page;
    expect(after.components).toEqual([{ id: 'new', type: 'Button', position: { row: 0, col: 0, span: 2 }, props: { label: 'New Task' } }]);
    const v: JSONValue = { type: 'refresh', target: 'form' };
    page.components![0]!.actions = { onClick: v, onOther: { type: 'refresh' } };
    expect(removeComponentEdits(page, 'modal')[0]).toEqual({ op: 'updateComponent', page: 'Tasks', component: 'new', value: { actions: { onClick: null } } });
  });
});
