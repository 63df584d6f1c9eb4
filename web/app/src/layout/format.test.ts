import { describe, expect, it } from 'vitest';
import { cut, format, formatDate, formatDateTime, isNumeric, parseDateTime, plainText, systemFields, textOf, titleField, valueOf } from './format';
import type { FormField } from './types';

const field = (widget: string, extra: Partial<FormField> = {}): FormField => ({
  name: 'f', label: 'F', type: widget, widget, required: false, ...extra,
});
const en = { locale: 'en-US', timeZone: 'UTC' };

describe('format', () => {
  it('shows empty values as empty', () => {
    for (const v of [undefined, null, '', '   ']) expect(format(field('text'), v)).toEqual({ kind: 'empty' });
    expect(plainText(format(field('text'), null))).toBe('');
  });

  it('writes dates as the same day in every time zone', () => {
    expect(format(field('date'), '2030-05-01', en)).toEqual({ kind: 'date', text: 'May 1, 2030', iso: '2030-05-01' });
    expect(format(field('date'), '2030-01-15', { locale: 'de-DE' })).toMatchObject({ text: '15.01.2030' });
    expect(format(field('date'), 'not a date', en)).toEqual({ kind: 'text', text: 'not a date' });
  });

  it('writes datetimes in the locale and time zone', () => {
    expect(format(field('datetime'), '2030-05-01T13:45:00Z', en)).toEqual({
      kind: 'date', text: 'May 1, 2030, 1:45 PM', iso: '2030-05-01T13:45:00Z',
    });
    expect(format(systemFields.createdAt, '2030-05-01T13:45:00Z', { locale: 'en-GB', timeZone: 'Europe/Paris' })).toMatchObject({
      text: '1 May 2030, 15:45',
    });
  });

  it('shows a date that does not exist as it is written', () => {
    expect(formatDate('2030-02-31', 'en-US')).toBeNull();
    expect(formatDate('2030-13-01', 'en-US')).toBeNull();
    expect(formatDate('2030-00-10', 'en-US')).toBeNull();
    expect(formatDate('2028-02-29', 'en-US')).toBe('Feb 29, 2028');
    expect(formatDate('2030-02-29', 'en-US')).toBeNull();
    expect(formatDate('0044-03-15', 'en-US')).toBe('Mar 15, 44');
    expect(format(field('date'), '2030-02-31', en)).toEqual({ kind: 'text', text: '2030-02-31' });
  });

  it('takes as datetimes only RFC 3339 times with a zone', () => {
    expect(parseDateTime('2030-05-01T13:45:00Z')?.toISOString()).toBe('2030-05-01T13:45:00.000Z');
    expect(parseDateTime('2030-05-01T13:45:00.123+02:00')?.toISOString()).toBe('2030-05-01T11:45:00.123Z');
    expect(parseDateTime('2030-05-01 13:45:00-07:00')?.toISOString()).toBe('2030-05-01T20:45:00.000Z');
    for (const s of ['12', '2030-05-01', '2030-05-01T13:45:00', '2030-05-01T13:45Z', '2030-02-31T10:00:00Z', 'May 1, 2030', '2030-05-01T25:00:00Z']) {
      expect(parseDateTime(s), s).toBeNull();
      expect(formatDateTime(s, 'en-US', 'UTC'), s).toBeNull();
    }
    expect(format(field('datetime'), '12', en)).toEqual({ kind: 'text', text: '12' });
    expect(format(field('datetime'), '2030-05-01', en)).toEqual({ kind: 'text', text: '2030-05-01' });
  });

  it('writes numbers in the locale, aligned right', () => {
    expect(format(field('integer'), 1234567, en)).toEqual({ kind: 'number', text: '1,234,567' });
    expect(format(field('number'), 1234.5, { locale: 'de-DE' })).toEqual({ kind: 'number', text: '1.234,5' });
    expect(format(field('number'), 0, en)).toEqual({ kind: 'number', text: '0' });
    expect(isNumeric(field('integer'))).toBe(true);
    expect(isNumeric(field('number'))).toBe(true);
    expect(isNumeric(field('text'))).toBe(false);
    expect(isNumeric(undefined)).toBe(false);
  });

  it('shows booleans as yes or no', () => {
    expect(format(field('checkbox'), true)).toEqual({ kind: 'boolean', value: true, label: 'Yes' });
    expect(format(field('checkbox'), false)).toEqual({ kind: 'boolean', value: false, label: 'No' });
    expect(plainText(format(field('checkbox'), false))).toBe('No');
  });

  it('shows enum values by their label, each value in its colour', () => {
    const status = field('select', { options: [{ value: 'todo', label: 'To do' }, { value: 'doing', label: 'doing' }] });
    expect(format(status, 'todo')).toEqual({ kind: 'enum', text: 'To do', color: 'blue' });
    expect(format(status, 'doing')).toEqual({ kind: 'enum', text: 'doing', color: 'teal' });
    expect(format(status, 'gone')).toEqual({ kind: 'enum', text: 'gone', color: 'blue' });
  });

  it('cuts long text in grids, keeping the whole for a title', () => {
    const long = 'word '.repeat(40).trim();
    const x = format(field('textarea'), long, { maxLength: 20 });
    expect(x).toEqual({ kind: 'text', text: 'word word word word…', full: long });
    expect(plainText(x)).toBe(long);
    expect(format(field('textarea'), 'two\nlines', { maxLength: 20 })).toEqual({ kind: 'text', text: 'two lines' });
    expect(format(field('textarea'), 'two\nlines')).toEqual({ kind: 'text', text: 'two\nlines' });
    expect(cut('😀😀😀', 2)).toEqual({ text: '😀…', full: '😀😀😀' });
  });

  it('names referenced entities, falling back to the id', () => {
    const project = field('relation', { relation: { entity: 'Project', relationship: 'r', displayField: 'name', multiple: false } });
    const names = new Map([['p1', 'Apollo']]);
    expect(format(project, 'p1', { name: (id) => names.get(id) })).toEqual({ kind: 'reference', text: 'Apollo', id: 'p1' });
    expect(format(project, 'p2', { name: (id) => names.get(id) })).toEqual({ kind: 'reference', text: 'p2', id: 'p2' });
  });

  it('links URLs and emails', () => {
    expect(format(field('url'), 'https://example.com/a')).toEqual({ kind: 'link', text: 'https://example.com/a', href: 'https://example.com/a' });
    expect(format(field('url'), 'javascript:alert(1)')).toEqual({ kind: 'text', text: 'javascript:alert(1)' });
    expect(format(field('email'), 'a@example.com')).toEqual({ kind: 'link', text: 'a@example.com', href: 'mailto:a@example.com' });
  });

  it('writes JSON compact in grids and indented in details', () => {
    expect(format(field('json'), { a: [1, 2] }, { maxLength: 80 })).toEqual({ kind: 'json', text: '{"a":[1,2]}' });
    expect(format(field('json'), { a: 1 })).toEqual({ kind: 'json', text: '{\n  "a": 1\n}' });
  });

  it('writes any value as text', () => {
    expect(textOf('a')).toBe('a');
    expect(textOf(3)).toBe('3');
    expect(textOf(false)).toBe('false');
    expect(textOf(undefined)).toBe('');
    expect(textOf({ a: 1 })).toBe('{"a":1}');
  });
});

describe('titleField', () => {
  it('is the first text field people enter', () => {
    const title = field('text', { name: 'title' });
    const code = field('text', { name: 'code', readOnly: true });
    const notes = field('textarea', { name: 'notes' });
    expect(titleField([systemFields.id, code, notes, title])?.name).toBe('title');
    expect(titleField([undefined, notes])).toBeUndefined();
    expect(titleField([])).toBeUndefined();
  });
});

describe('valueOf', () => {
  it('reads data fields, then system fields', () => {
    const e = { id: 'e1', type: 'Task', version: 1, createdAt: '2030-01-01T00:00:00Z', updatedAt: '', createdBy: 'u', data: { title: 'T', type: 'x' } };
    expect(valueOf(e, 'title')).toBe('T');
    expect(valueOf(e, 'type')).toBe('x');
    expect(valueOf(e, 'createdAt')).toBe('2030-01-01T00:00:00Z');
    expect(valueOf(e, 'id')).toBe('e1');
    expect(valueOf(e, 'version')).toBeUndefined();
  });
});
