import { describe, expect, it } from 'vitest';
import { todo } from '../../model/fixtures';
import { applyEdits } from '../../model/edits';
import { kebab, pageFromSettings, pageSettingsSchema, renamePageEdits, routeError, suggestRoute, words } from './pageRules';

describe('page rules', () => {
  it('splits names into words as the server does', () => {
    expect(words('TaskList')).toEqual(['Task', 'List']);
    expect(words('HTTPServer')).toEqual(['HTTP', 'Server']);
    expect(words('open  tasks!')).toEqual(['open', 'tasks']);
    expect(kebab('Open Tasks 2')).toBe('open-tasks-2');
  });

  it('suggests a route from the name', () => {
    expect(suggestRoute('Tasks')).toBe('/tasks');
    expect(suggestRoute('My open tasks')).toBe('/my-open-tasks');
    expect(suggestRoute('!!')).toBe('');
  });

  it('checks routes like route.go', () => {
    for (const ok of ['/', '/tasks', '/tasks/{id}', '/a.b/c~d_e-f', '/tâches']) expect(routeError(ok)).toBeNull();
    expect(routeError('tasks')).toContain('Start with "/"');
    expect(routeError('/tasks/')).toContain('Start with "/"');
    expect(routeError('/a/../b')).toContain('Start with "/"');
    expect(routeError('/a b')).toContain('Start with "/"');
    expect(routeError('/{id}/{id}')).toBe('At most one parameter "{id}"');
    expect(routeError('/x{id}')).toContain('The only route parameter');
    expect(routeError(`/${'a'.repeat(200)}`)).toContain('At most 200 bytes');
  });

  it('checks page settings against the other pages', () => {
    const doc = todo();
    const schema = pageSettingsSchema(doc);
    const issue = (v: object) => {
      const r = schema.safeParse({ name: 'Board', route: '', title: '', ...v });
      return r.success ? null : r.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ');
    };
    expect(issue({})).toBeNull();
    expect(issue({ name: 'Tasks' })).toContain('name: There is already a page');
    expect(issue({ name: '' })).toContain('name: Name is required');
    expect(issue({ name: '/x' })).toContain('does not start with "/"');
    expect(issue({ route: '/tasks' })).toBe('route: Page Tasks has this route');
    expect(issue({ name: 'Tasks!', route: '' })).toContain('route: Page Tasks has this route');
    expect(issue({ route: 'nope' })).toContain('route: Start with "/"');
    expect(issue({ name: '??', route: '' })).toContain('route: Give a route');
    // The page being edited keeps its own name and route.
    expect(pageSettingsSchema(doc, 'Tasks').safeParse({ name: 'Tasks', route: '/tasks', title: '' }).success).toBe(true);
  });

  it('makes a page from its settings', () => {
    expect(pageFromSettings({ name: ' Items ', route: '', title: '' })).toEqual({ name: 'Items', route: '/items', components: [] });
    expect(pageFromSettings({ name: 'Items', route: '/stock', title: 'Stock' })).toEqual({ name: 'Items', route: '/stock', title: 'Stock', components: [] });
  });

  it('renames a page with the actions that go to it', () => {
    const doc = todo();
    doc.pages.push({ name: 'Home', route: '/', components: [
      { id: 'go', type: 'Button', position: { row: 0, col: 0, span: 2 }, props: { label: 'Tasks' }, actions: { onClick: { type: 'navigateTo', page: 'Tasks' } } },
    ] });
    const after = applyEdits(doc, renamePageEdits(doc, 'Tasks', 'Work'));
    expect(after.pages.map((p) => p.name)).toEqual(['Work', 'Home']);
    expect(after.pages[1]?.components?.[0]?.actions).toEqual({ onClick: { type: 'navigateTo', page: 'Work' } });
  });
});
