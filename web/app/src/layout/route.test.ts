import { describe, expect, it } from 'vitest';
import { detailLink, fillRoute, findPage, hasParams, listLink, matchRoute, navLinks, pageHref, shownParams } from './route';

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

  it('makes the address of a page in an app', () => {
    expect(pageHref('todo', pages[3], 'a b')).toBe('/todo/tasks/a%20b');
    expect(pageHref('todo', pages[1])).toBe('/todo/tasks');
    expect(pageHref('todo', pages[3])).toBeNull();
    expect(pageHref('todo', undefined, 'x')).toBeNull();
    expect(listLink(pages, 'Task')?.name).toBe('Tasks');
    expect(listLink(pages, 'Project')).toBeUndefined();
  });
});

describe('shownParams: is the page shown the one of the address?', () => {
  const detail = { app: 'todo', page: pages[3]!, pages, params: { id: '42' } };

  it('moves between entities of the page of one entity, keeping the page', () => {
    expect(shownParams(detail, '/tasks/42', 'todo', '/tasks/42')).toEqual({ id: '42' });
    expect(shownParams(detail, '/tasks/42', 'todo', '/tasks/43')).toEqual({ id: '43' });
  });

  it('loads a fixed route rather than reading it as an id', () => {
    expect(shownParams(detail, '/tasks/42', 'todo', '/tasks/new')).toBeNull();
    expect(shownParams(detail, '/tasks/42', 'todo', '/tasks')).toBeNull();
  });

  it('loads the page of another app, and the first page only as the answer to no path', () => {
    expect(shownParams(detail, '/tasks/42', 'crm', '/tasks/42')).toBeNull();
    const list = { app: 'todo', page: pages[1]!, pages };
    expect(shownParams(list, '', 'todo', '')).toEqual({});
    expect(shownParams(list, '/tasks', 'todo', '')).toBeNull();
    expect(shownParams(list, null, 'todo', '/tasks')).toEqual({});
  });

  it('prefers the params loadPage answered for the path', () => {
    const answered = { ...detail, params: { id: 'from-server' } };
    expect(shownParams(answered, '/tasks/x', 'todo', '/tasks/x')).toEqual({ id: 'from-server' });
    expect(shownParams(answered, '/tasks/x', 'todo', '/tasks/y')).toEqual({ id: 'y' });
  });

  it('shows nothing without a page', () => {
    expect(shownParams({ app: 'todo', page: null, pages }, '/tasks', 'todo', '/tasks')).toBeNull();
  });
});
