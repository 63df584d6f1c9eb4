import { describe, expect, it } from 'vitest';
import type { Field } from '../model/types';
import { fieldFormSchema, fieldGroups, fromForm, toForm } from './entities/fieldForm';
import { takeMembers } from './formMembers';

const title: Field = { name: 'title', type: 'string', maxLength: 200 };
const schema = fieldFormSchema([]);

describe('applying one input of a form', () => {
  it('applies a valid change while another input holds an error', () => {
    const form = { ...toForm(title), maxLength: 'ten', required: true };
    const v = takeMembers(toForm(title), form, ['required'], fieldGroups, schema);
    expect(v && fromForm(v)).toEqual({ ...title, required: true });
  });

  it('refuses the change that is itself invalid', () => {
    const form = { ...toForm(title), maxLength: 'ten', required: true };
    expect(takeMembers(toForm(title), form, ['maxLength'], fieldGroups, schema)).toBeNull();
  });

  it('checks the members of a group together, taking them all', () => {
    const form = { ...toForm(title), minLength: '300' };
    expect(takeMembers(toForm(title), form, ['minLength'], fieldGroups, schema)).toBeNull();
    const both = { ...form, maxLength: '400' };
    const v = takeMembers(toForm(title), both, ['maxLength'], fieldGroups, schema);
    expect(v && fromForm(v)).toEqual({ ...title, minLength: 300, maxLength: 400 });
  });

  it('takes an enum type with its values, and waits for them', () => {
    const form = { ...toForm(title), type: 'enum' as const, values: [] };
    expect(takeMembers(toForm(title), form, ['type'], fieldGroups, schema)).toBeNull();
    const v = takeMembers(toForm(title), { ...form, values: ['a'] }, ['values'], fieldGroups, schema);
    expect(v && fromForm(v)).toEqual({ name: 'title', type: 'enum', values: ['a'] });
  });
});
