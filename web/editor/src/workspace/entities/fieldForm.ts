// The field editor's form: its values (strings for the inputs), the Zod
// schema that checks them as the server would, and the conversions between
// a Field and the form.

import { z } from 'zod';
import { identifierRE } from '../../model/names';
import type { Field, FieldType, JSONValue } from '../../model/types';
import { systemFields } from '../systemFields';

export interface FieldFormValues {
  name: string;
  displayName: string;
  type: FieldType;
  required: boolean;
  unique: boolean;
  indexed: 'default' | 'yes' | 'no';
  defaultValue: string;
  minLength: string;
  maxLength: string;
  pattern: string;
  min: string;
  max: string;
  values: string[];
}

/**
 * The members checked and applied together (a default is read by the
 * type, and must be one of the values; a minimum is checked against its
 * maximum): a change to one applies its group, whatever else is invalid.
 */
export const fieldGroups: (keyof FieldFormValues)[][] = [['type', 'values', 'defaultValue'], ['minLength', 'maxLength'], ['min', 'max']];

export const textTypes: FieldType[] = ['string', 'text', 'email', 'url'];
export const numberTypes: FieldType[] = ['integer', 'number'];

const optionalInt = z.string().trim().refine((s) => s === '' || /^\d+$/.test(s), 'A whole number, 0 or more');
const optionalNumber = z.string().trim().refine((s) => s === '' || Number.isFinite(Number(s)), 'A number');

function num(s: string): number | undefined {
  return s.trim() === '' ? undefined : Number(s);
}

export function fieldFormSchema(taken: readonly string[]) {
  return z
    .object({
      name: z
        .string()
        .trim()
        .min(1, 'Name is required')
        .regex(identifierRE, 'Start with a letter; then letters, digits or "_" (at most 48)')
        .refine((n) => !taken.includes(n), 'There is already a field with this name')
        .refine((n) => !systemFields.includes(n), 'This is a system field'),
      displayName: z.string().max(200, 'At most 200 characters'),
      type: z.enum(['string', 'text', 'integer', 'number', 'boolean', 'date', 'datetime', 'enum', 'email', 'url', 'json']),
      required: z.boolean(),
      unique: z.boolean(),
      indexed: z.enum(['default', 'yes', 'no']),
      defaultValue: z.string(),
      minLength: optionalInt,
      maxLength: optionalInt,
      pattern: z.string().max(1000, 'At most 1000 characters'),
      min: optionalNumber,
      max: optionalNumber,
      values: z.array(z.string().trim().min(1).max(200)).max(500, 'At most 500 values'),
    })
    .superRefine((v, ctx) => {
      const minL = num(v.minLength);
      const maxL = num(v.maxLength);
      if (minL !== undefined && maxL !== undefined && minL > maxL) {
        ctx.addIssue({ code: 'custom', path: ['maxLength'], message: 'Must be at least the minimum length' });
      }
      const min = num(v.min);
      const max = num(v.max);
      if (min !== undefined && max !== undefined && min > max) {
        ctx.addIssue({ code: 'custom', path: ['max'], message: 'Must be at least the minimum' });
      }
      if (v.type === 'enum') {
        if (v.values.length === 0) ctx.addIssue({ code: 'custom', path: ['values'], message: 'An enum needs at least one value' });
        if (new Set(v.values).size !== v.values.length) ctx.addIssue({ code: 'custom', path: ['values'], message: 'Values must differ' });
      }
      if (v.pattern && textTypes.includes(v.type)) {
        try {
          new RegExp(v.pattern);
        } catch {
          ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'Not a valid regular expression' });
        }
      }
      const d = parseDefault(v.type, v.defaultValue, v.values);
      if (d.error) ctx.addIssue({ code: 'custom', path: ['defaultValue'], message: d.error });
    });
}

/** parseDefault reads the default's input as a value of the type; "" is none. */
export function parseDefault(type: FieldType, s: string, values: string[]): { value?: JSONValue; error?: string } {
  const t = s.trim();
  if (t === '') return {};
  switch (type) {
    case 'integer':
      return /^-?\d+$/.test(t) ? { value: Number(t) } : { error: 'A whole number' };
    case 'number':
      return Number.isFinite(Number(t)) ? { value: Number(t) } : { error: 'A number' };
    case 'boolean':
      return t === 'true' || t === 'false' ? { value: t === 'true' } : { error: 'true or false' };
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(t) && !Number.isNaN(Date.parse(t)) ? { value: t } : { error: 'A date such as 2026-11-24' };
    case 'datetime':
      return !Number.isNaN(Date.parse(t)) && /T/.test(t) ? { value: t } : { error: 'An instant such as 2026-11-24T17:00:00Z' };
    case 'enum':
      return values.includes(t) ? { value: t } : { error: 'One of the values' };
    case 'json':
      try {
        return { value: JSON.parse(t) as JSONValue };
      } catch {
        return { error: 'Valid JSON' };
      }
    default:
      return { value: s };
  }
}

export function toForm(f: Field): FieldFormValues {
  return {
    name: f.name,
    displayName: f.displayName ?? '',
    type: f.type,
    required: f.required ?? false,
    unique: f.unique ?? false,
    indexed: f.indexed === undefined ? 'default' : f.indexed ? 'yes' : 'no',
    defaultValue: f.default === undefined ? '' : typeof f.default === 'string' ? f.default : JSON.stringify(f.default),
    minLength: f.minLength === undefined ? '' : String(f.minLength),
    maxLength: f.maxLength === undefined ? '' : String(f.maxLength),
    pattern: f.pattern ?? '',
    min: f.min === undefined ? '' : String(f.min),
    max: f.max === undefined ? '' : String(f.max),
    values: f.values ?? [],
  };
}

/**
 * fromForm makes the field the form describes, with only the members its
 * type uses: switching a text field to a number drops its lengths.
 */
export function fromForm(v: FieldFormValues): Field {
  const f: Field = { name: v.name.trim(), type: v.type };
  if (v.displayName.trim()) f.displayName = v.displayName.trim();
  if (v.required) f.required = true;
  if (v.unique) f.unique = true;
  if (v.indexed !== 'default') f.indexed = v.indexed === 'yes';
  const d = parseDefault(v.type, v.defaultValue, v.values);
  if (d.value !== undefined) f.default = d.value;
  if (textTypes.includes(v.type)) {
    const minL = num(v.minLength);
    const maxL = num(v.maxLength);
    if (minL !== undefined) f.minLength = minL;
    if (maxL !== undefined) f.maxLength = maxL;
    if (v.pattern) f.pattern = v.pattern;
  }
  if (numberTypes.includes(v.type)) {
    const min = num(v.min);
    const max = num(v.max);
    if (min !== undefined) f.min = min;
    if (max !== undefined) f.max = max;
  }
  if (v.type === 'enum') f.values = v.values.map((s) => s.trim());
  return f;
}

/** rulesSummary is a short description of a field's rules for the fields table. */
export function rulesSummary(f: Field): string {
  const parts: string[] = [];
  if (f.minLength !== undefined && f.maxLength !== undefined) parts.push(`${f.minLength}–${f.maxLength} chars`);
  else if (f.maxLength !== undefined) parts.push(`≤ ${f.maxLength} chars`);
  else if (f.minLength !== undefined) parts.push(`≥ ${f.minLength} chars`);
  if (f.min !== undefined && f.max !== undefined) parts.push(`${f.min}–${f.max}`);
  else if (f.max !== undefined) parts.push(`≤ ${f.max}`);
  else if (f.min !== undefined) parts.push(`≥ ${f.min}`);
  if (f.pattern) parts.push('pattern');
  if (f.values?.length) parts.push(f.values.join(' · '));
  if (f.default !== undefined) parts.push(`default ${JSON.stringify(f.default)}`);
  return parts.join(', ');
}
