import { describe, expect, it } from 'vitest';
import { appURL, newAppSchema, suggestAppName } from './appName';

describe('app names', () => {
  const schema = newAppSchema(['todo']);
  const problem = (name: string) => {
    const r = schema.safeParse({ name });
    return r.success ? null : r.error.issues[0]?.message;
  };

  it('takes what the server takes', () => {
    expect(problem('todo2')).toBeNull();
    expect(problem('my-app')).toBeNull();
    expect(problem('a'.repeat(63))).toBeNull();
  });

  it('refuses what the server refuses, saying why', () => {
    expect(problem('')).toBe('Name is required');
    expect(problem('2do')).toBe('Start with a lowercase letter');
    expect(problem('Todo')).toBe('Start with a lowercase letter');
    expect(problem('my_app')).toBe('Only lowercase letters, digits and “-”');
    expect(problem('a'.repeat(64))).toBe('At most 63 characters');
    expect(problem('todo')).toBe('There is already an app with this name');
  });

  it('suggests a free name from the model name', () => {
    expect(suggestAppName('TODO', [])).toBe('todo');
    expect(suggestAppName('TODO', ['todo', 'todo-2'])).toBe('todo-3');
    expect(suggestAppName('My_Tasks 2', [])).toBe('my-tasks-2');
    expect(suggestAppName('42', [])).toBe('app');
  });

  it('opens an app at /app/{name}/', () => {
    expect(appURL('todo')).toBe('/app/todo/');
  });
});
