import { describe, expect, it } from 'vitest';
import { fieldFormSchema, fromForm, parseDefault, rulesSummary, toForm } from './fieldForm';
import type { Field } from '../../model/types';

const title: Field = { name: 'title', displayName: 'Title', type: 'string', required: true, minLength: 1, maxLength: 200, indexed: true };

describe('field form', () => {
  it('round-trips a field', () => {
    expect(fromForm(toForm(title))).toEqual(title);
    const status: Field = { name: 'status', type: 'enum', values: ['todo', 'done'], default: 'todo' };
    expect(fromForm(toForm(status))).toEqual(status);
    const pr: Field = { name: 'priority', type: 'integer', min: 1, max: 5, default: 3 };
    expect(fromForm(toForm(pr))).toEqual(pr);
  });

  it('drops the members the new type does not use', () => {
    expect(fromForm({ ...toForm(title), type: 'integer' })).toEqual({ name: 'title', displayName: 'Title', type: 'integer', required: true, indexed: true });
  });

  const schema = fieldFormSchema(['due']);
  const bad: [string, Partial<ReturnType<typeof toForm>>, string, string][] = [
    ['a taken name', { name: 'due' }, 'name', 'There is already a field with this name'],
    ['a name with a space', { name: 'due date' }, 'name', 'Start with a letter'],
    ['a system field', { name: 'createdAt' }, 'name', 'This is a system field'],
    ['lengths the wrong way round', { minLength: '10', maxLength: '2' }, 'maxLength', 'Must be at least the minimum length'],
    ['a bad pattern', { pattern: '([' }, 'pattern', 'Not a valid regular expression'],
    ['an enum without values', { type: 'enum', values: [] }, 'values', 'An enum needs at least one value'],
    ['a default of the wrong type', { type: 'integer', defaultValue: 'x' }, 'defaultValue', 'A whole number'],
    ['a max length that is not a number', { maxLength: 'ten' }, 'maxLength', 'A whole number'],
  ];
  for (const [name, change, path, msg] of bad) {
    it(`refuses ${name}`, () => {
      const r = schema.safeParse({ ...toForm(title), ...change });
      expect(r.success).toBe(false);
      const issue = r.error?.issues.find((i) => i.path[0] === path);
      expect(issue?.message).toContain(msg);
    });
  }

  it('reads defaults by type', () => {
    expect(parseDefault('boolean', 'true', [])).toEqual({ value: true });
    expect(parseDefault('json', '{"a":1}', [])).toEqual({ value: { a: 1 } });
    expect(parseDefault('date', '2026-13-45', []).error).toBeDefined();
    expect(parseDefault('string', '', [])).toEqual({});
  });

  it('summarizes rules', () => {
    expect(rulesSummary(title)).toBe('1–200 chars');
    expect(rulesSummary({ name: 'p', type: 'integer', min: 1, max: 5 })).toBe('1–5');
  });
});
