// Form values: what the inputs hold, the checks made before sending (the
// server checks again), and the data sent.

import { textOf } from './format';
import type { Entity, FormField } from './types';

/** A value as an input holds it. */
export type FieldValue = string | number | boolean;
export type Values = Record<string, FieldValue>;

const numeric = (f: FormField) => f.widget === 'integer' || f.widget === 'number';

/** emptyValue is the value of an input with nothing in it. */
export function emptyValue(f: FormField): FieldValue {
  return f.widget === 'checkbox' ? false : '';
}

/** toInput turns a stored value into an input's value. */
export function toInput(f: FormField, v: unknown): FieldValue {
  if (v === undefined || v === null) return emptyValue(f);
  switch (f.widget) {
    case 'checkbox':
      return v === true;
    case 'integer':
    case 'number':
      return typeof v === 'number' ? v : Number.isFinite(Number(v)) ? Number(v) : '';
    case 'datetime':
      return typeof v === 'string' ? toLocalDateTime(v) : '';
    case 'json':
      return JSON.stringify(v, null, 2);
    default:
      return textOf(v);
  }
}

/** toLocalDateTime turns an RFC 3339 time into a datetime-local value. */
export function toLocalDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** initialValues are the inputs' values: the entity's, else defaults, else empty. */
export function initialValues(fields: FormField[], entity?: Entity): Values {
  const out: Values = {};
  for (const f of fields) {
    out[f.name] = entity ? toInput(f, entity.data[f.name]) : toInput(f, f.default);
  }
  return out;
}

/**
 * mergeValues keeps the input of fields that still exist when a form's
 * definition changes, and starts new fields from their defaults.
 */
export function mergeValues(fields: FormField[], previous: Values, entity?: Entity): Values {
  const fresh = initialValues(fields, entity);
  for (const f of fields) {
    const old = previous[f.name];
    if (old !== undefined) fresh[f.name] = old;
  }
  return fresh;
}

const isEmpty = (v: FieldValue) => v === '' || v === undefined;

/** checkField returns what is wrong with v for f, or null. */
export function checkField(f: FormField, v: FieldValue): string | null {
  if (f.readOnly) return null;
  if (f.widget === 'checkbox') return null;
  if (isEmpty(v)) return f.required ? 'is required' : null;
  if (numeric(f)) {
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isFinite(n)) return 'must be a number';
    if (f.widget === 'integer' && !Number.isInteger(n)) return 'must be an integer';
    if (f.min !== undefined && n < f.min) return `must be at least ${f.min}`;
    if (f.max !== undefined && n > f.max) return `must be at most ${f.max}`;
    return null;
  }
  const s = String(v);
  const length = [...s].length;
  if (f.minLength !== undefined && length < f.minLength) return `must be at least ${f.minLength} characters`;
  if (f.maxLength !== undefined && length > f.maxLength) return `must be at most ${f.maxLength} characters`;
  if (f.pattern) {
    try {
      if (!new RegExp(f.pattern, 'u').test(s)) return 'does not match the expected format';
    } catch {
      /* a pattern JavaScript cannot read is the server's to check */
    }
  }
  if (f.widget === 'email' && !/^[^\s@]+@[^\s@]+$/.test(s)) return 'must be an email address';
  if (f.widget === 'url' && !/^https?:\/\/\S+$/.test(s)) return 'must be an http or https URL';
  if (f.widget === 'json') {
    try {
      JSON.parse(s);
    } catch {
      return 'must be valid JSON';
    }
  }
  if (f.options && f.options.length > 0 && !f.options.some((o) => o.value === s)) return 'is not one of the choices';
  return null;
}

/** checkValues checks every field; the result maps field names to messages. */
export function checkValues(fields: FormField[], values: Values): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const msg = checkField(f, values[f.name] ?? emptyValue(f));
    if (msg) errors[f.name] = msg;
  }
  return errors;
}

/** fromInput turns an input's value into what is sent; null clears. */
export function fromInput(f: FormField, v: FieldValue): unknown {
  if (f.widget === 'checkbox') return v === true;
  if (isEmpty(v)) return null;
  switch (f.widget) {
    case 'integer':
    case 'number':
      return typeof v === 'number' ? v : Number(v);
    case 'datetime':
      return new Date(String(v)).toISOString();
    case 'json':
      return JSON.parse(String(v));
    default:
      return String(v);
  }
}

/**
 * payload is the data of a create (fields with a value) or of an update
 * (a patch of the fields whose value changed; null clears one).
 */
export function payload(fields: FormField[], values: Values, entity?: Entity): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.readOnly) continue;
    const v = fromInput(f, values[f.name] ?? emptyValue(f));
    if (!entity) {
      if (v !== null) out[f.name] = v;
      continue;
    }
    const before = entity.data[f.name] ?? null;
    if (JSON.stringify(before) !== JSON.stringify(v)) out[f.name] = v;
  }
  return out;
}

/** humanize turns a field name into words: "createdAt" -> "Created at". */
export function humanize(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
