// How values read in grids and detail views: what each field type shows
// (the components render the result), and which columns align right.

import type { FormField } from './types';

export type Formatted =
  | { kind: 'empty' }
  /** full is the whole text when text was cut. */
  | { kind: 'text'; text: string; full?: string }
  | { kind: 'number'; text: string }
  | { kind: 'boolean'; value: boolean; label: 'Yes' | 'No' }
  | { kind: 'enum'; text: string; color: string }
  /** iso is the machine-readable value of a <time>. */
  | { kind: 'date'; text: string; iso: string }
  | { kind: 'link'; text: string; href: string; full?: string }
  | { kind: 'reference'; text: string; id: string }
  | { kind: 'json'; text: string; full?: string };

export interface FormatOptions {
  /** BCP 47 locale (default: the browser's). */
  locale?: string;
  /** Time zone of datetimes (default: the browser's). */
  timeZone?: string;
  /** Cut texts longer than this many characters (grids); 0 keeps them whole. */
  maxLength?: number;
  /** The name of the entity a reference value (an id) refers to. */
  name?: (id: string) => string | undefined;
}

/** The system fields a grid or detail may show, as fields. */
export const systemFields: Record<string, FormField> = {
  id: { name: 'id', label: 'ID', type: 'string', widget: 'text', required: false, readOnly: true },
  createdAt: { name: 'createdAt', label: 'Created at', type: 'datetime', widget: 'datetime', required: false, readOnly: true },
  updatedAt: { name: 'updatedAt', label: 'Updated at', type: 'datetime', widget: 'datetime', required: false, readOnly: true },
  createdBy: { name: 'createdBy', label: 'Created by', type: 'string', widget: 'text', required: false, readOnly: true },
};

/** Badge colours of enum values, by the value's place among the options. */
export const enumColors = ['blue', 'teal', 'grape', 'orange', 'cyan', 'pink', 'lime', 'indigo', 'yellow', 'red'];

/** gridTextLength is where grid cells cut long text. */
export const gridTextLength = 80;

/** isNumeric reports whether a field holds numbers (aligned right). */
export function isNumeric(f: FormField | undefined): boolean {
  return f?.widget === 'integer' || f?.widget === 'number';
}

/** textOf is a value as plain text: strings as they are, others as JSON. */
export function textOf(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
    case 'boolean':
    case 'bigint':
      return v.toString();
    case 'undefined':
      return '';
    default:
      return JSON.stringify(v) ?? '';
  }
}

/** cut shortens s to max characters (code points), ending in "…". */
export function cut(s: string, max: number): { text: string; full?: string } {
  if (max <= 0) return { text: s };
  const chars = Array.from(s);
  if (chars.length <= max) return { text: s };
  return { text: `${chars.slice(0, max - 1).join('').trimEnd()}…`, full: s };
}

/** calendarDate is the UTC midnight of year-month-day, or null when that day does not exist (2030-02-31). */
function calendarDate(year: number, month: number, day: number): Date | null {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // setUTCFullYear keeps years 0-99 as they are
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? d : null;
}

/** formatDate writes a date ("2030-05-01") in the locale, as that day wherever the reader is; null when it is no date. */
export function formatDate(s: string, locale?: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const d = m ? calendarDate(Number(m[1]), Number(m[2]), Number(m[3])) : null;
  if (!d) return null;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

/** An RFC 3339 time: a date, a time with seconds, and Z or an offset. */
const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ]([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** parseDateTime reads an RFC 3339 time (its date must exist), or null. */
export function parseDateTime(s: string): Date | null {
  const m = rfc3339.exec(s);
  if (!m || !calendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) return null;
  const d = new Date(s.replace(' ', 'T'));
  return Number.isNaN(d.getTime()) ? null : d;
}

/** formatDateTime writes an RFC 3339 time in the locale and time zone; null when it is not one. */
export function formatDateTime(s: string, locale?: string, timeZone?: string): string | null {
  const d = parseDateTime(s);
  if (!d) return null;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(d);
}

/** formatNumber writes a number in the locale. */
export function formatNumber(n: number, locale?: string, integer = false): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: integer ? 0 : 6 }).format(n);
}

const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** format is how value v of field f reads. */
export function format(f: FormField | undefined, v: unknown, opts: FormatOptions = {}): Formatted {
  if (isEmpty(v)) return { kind: 'empty' };
  const { locale, timeZone, maxLength = 0 } = opts;
  if (f?.relation && typeof v === 'string') {
    return { kind: 'reference', text: opts.name?.(v) ?? v, id: v };
  }
  if (typeof v === 'boolean') return { kind: 'boolean', value: v, label: v ? 'Yes' : 'No' };
  if (f?.options && f.options.length > 0 && typeof v === 'string') {
    const i = f.options.findIndex((o) => o.value === v);
    const o = f.options[i];
    return { kind: 'enum', text: o ? o.label : v, color: enumColors[Math.max(i, 0) % enumColors.length] ?? 'gray' };
  }
  if (typeof v === 'number') return { kind: 'number', text: formatNumber(v, locale, f?.widget === 'integer') };
  if (typeof v === 'string') {
    switch (f?.widget) {
      case 'date': {
        const text = formatDate(v, locale);
        if (text) return { kind: 'date', text, iso: v };
        break;
      }
      case 'datetime': {
        const text = formatDateTime(v, locale, timeZone);
        if (text) return { kind: 'date', text, iso: v };
        break;
      }
      case 'url':
        if (/^https?:\/\//i.test(v)) return { kind: 'link', href: v, ...cut(v, maxLength) };
        break;
      case 'email':
        return { kind: 'link', href: `mailto:${v}`, ...cut(v, maxLength) };
    }
    // A grid shows text on one line.
    return { kind: 'text', ...cut(maxLength > 0 ? v.replace(/\s+/g, ' ').trim() : v, maxLength) };
  }
  const json = maxLength > 0 ? JSON.stringify(v) : JSON.stringify(v, null, 2);
  return { kind: 'json', ...cut(json, maxLength) };
}

/** plainText is what a formatted value says, as text (a row's name, a dialog's detail). */
export function plainText(x: Formatted): string {
  switch (x.kind) {
    case 'empty':
      return '';
    case 'boolean':
      return x.label;
    default:
      return 'full' in x && x.full ? x.full : x.text;
  }
}

/**
 * titleField is the field that names an entity (a grid's link, a detail's
 * heading, a dialog's detail): the first of fields written as one line of
 * text that people enter (not read-only, not a system field).
 */
export function titleField(fields: Array<FormField | undefined>): FormField | undefined {
  return fields.find((f) => f?.widget === 'text' && !f.readOnly && !(f.name in systemFields));
}

/** valueOf is the value of field name of e: from its data, else a system field (id, createdAt...). */
export function valueOf(e: { data: Record<string, unknown> } & object, name: string): unknown {
  if (name in e.data) return e.data[name];
  return name in systemFields ? (e as Record<string, unknown>)[name] : undefined;
}
