import { describe, expect, it } from 'vitest';
import { detailLink, fillRoute, findPage, hasParams, matchRoute, navLinks } from './route';

const pages = [
  { name: 'Home', route: '/', title: 'Home' },
  { name: 'Tasks', route: '/tasks', title: 'Tasks', entity: 'Task' },
  { name: 'New task', route: '/tasks/new', title: 'New task' },
  { name: 'Task details', route: '/tasks/{id}', title: 'Task', entity: 'Task' },
  { name: 'Board', route: '/projects/{id}/board', title: 'Board' },
];

describe('routes', () => {
  it('tells routes with a parameter', () => {
    expect(hasParams('/tasks/{id}')).toBe(true);
    expect(hasParams('/tasks')).toBe(false);
  });

  it('matches paths', () => {
    expect(matchRoute('/tasks', '/tasks')).toEqual({});
    expect(matchRoute('/tasks', '/tasks/1')).toBeNull();
    expect(matchRoute('/tasks/{id}', '/tasks/0190-ab')).toEqual({ id: '0190-ab' });
    expect(matchRoute('/tasks/{id}', '/tasks/')).toBeNull();
    expect(matchRoute('/tasks/{id}', '/tasks/a/b')).toBeNull();
    expect(matchRoute('/projects/{id}/board', '/projects/p1/board')).toEqual({ id: 'p1' });
    expect(matchRoute('/projects/{id}/board', '/projects/p1/list')).toBeNull();
  });

  it('finds the page of a path: routes without parameters first', () => {
    expect(findPage(pages, '/tasks/new')).toEqual({ page: pages[2], params: {} });
    expect(findPage(pages, '/tasks/42')).toEqual({ page: pages[3], params: { id: '42' } });
    expect(findPage(pages, '/projects/7/board')?.page.name).toBe('Board');
    expect(findPage(pages, '/nope')).toBeNull();
  });

  it('fills the id, encoded', () => {
    expect(fillRoute('/tasks/{id}', 'a b')).toBe('/tasks/a%20b');
    expect(fillRoute('/tasks/{id}')).toBeNull();
    expect(fillRoute('/tasks', 'x')).toBe('/tasks');
  });

  it('lists pages without parameters in the navigation, and finds detail pages by entity', () => {
    expect(navLinks(pages).map((p) => p.name)).toEqual(['Home', 'Tasks', 'New task']);
    expect(detailLink(pages, 'Task')?.name).toBe('Task details');
    expect(detailLink(pages, 'Project')).toBeUndefined();
  });
});
