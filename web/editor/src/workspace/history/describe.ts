// The changes between two versions of a model (the server's Changes,
// model_diff.go) said in words and grouped by the part they touch:
// "Entities ▸ Task ▸ fields ▸ title: changed max length from 200 to 120".
// Pure: no React, tested in describe.test.ts.

import { equal, isObject } from '../../model/patch';
import type { Change, JSONValue } from '../../model/types';

/** A piece of a sentence: words, or a value to show as code. */
export type Piece = string | { value: string; full: string };

export interface Line {
  op: Change['op'];
  /** The path of the change it comes from. */
  path: string;
  pieces: Piece[];
}

export interface Group {
  /** The part the lines are about, outermost first: ["Entities", "Task", "fields", "title"]. */
  crumbs: string[];
  lines: Line[];
}

/** The longest a value is shown in a sentence before it is cut. */
const maxValue = 60;

/** unescape reads a name of a path ("~1" is "/", "~0" is "~"). */
function unescape(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** show writes a value compactly: numbers and booleans as they are, strings quoted, the rest as JSON. */
export function show(v: JSONValue | undefined): string {
  if (v === undefined) return '—';
  if (typeof v === 'string') return `“${v}”`;
  return JSON.stringify(v);
}

/** shortShow is show cut to the length a value takes in a sentence. */
export function shortShow(v: JSONValue | undefined): string {
  const full = show(v);
  return full.length > maxValue ? `${full.slice(0, maxValue - 1)}…` : full;
}

function value(v: JSONValue | undefined): Piece {
  return { value: shortShow(v), full: show(v) };
}

function name(s: string): Piece {
  return { value: s, full: s };
}

/** text is the sentence of a line as plain text. */
export function text(line: Line): string {
  return line.pieces.map((p) => (typeof p === 'string' ? p : p.value)).join('');
}

const memberWords: Record<string, string> = {
  displayName: 'display name',
  minLength: 'min length',
  maxLength: 'max length',
  min: 'minimum',
  max: 'maximum',
  default: 'default value',
  fromField: 'from field',
  toField: 'to field',
  onDelete: 'on delete',
};

/** memberLabel is what a member of a part is called in a sentence: "maxLength" is "max length". */
export function memberLabel(member: string): string {
  return memberWords[member] ?? member.replace(/([a-z])([A-Z])/g, (_, a: string, b: string) => `${a} ${b.toLowerCase()}`);
}

function list(names: JSONValue | undefined): string {
  return Array.isArray(names) ? names.map((n) => (typeof n === 'string' ? n : JSON.stringify(n))).join(', ') : show(names);
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Flags said as a state: "made required", "made optional". */
const flags: Record<string, [string, string]> = {
  required: ['made required', 'made optional'],
  unique: ['made unique', 'no longer unique'],
};

/**
 * memberLines says what changed between two versions of one part, member
 * by member; objects (props, permissions) are looked into, a level at a
 * time, up to depth members deep.
 */
export function memberLines(before: JSONValue | undefined, after: JSONValue | undefined, prefix = '', depth = 3): Piece[][] {
  if (!isObject(before) || !isObject(after)) return [changedValue(prefix || 'value', prefix, before, after)];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const out: Piece[][] = [];
  for (const k of keys) {
    const b = before[k];
    const a = after[k];
    if (equal(b, a)) continue;
    const path = prefix ? `${prefix}.${k}` : k;
    if (isObject(b) && isObject(a) && depth > 1) out.push(...memberLines(b, a, path, depth - 1));
    else out.push(changedValue(k, path, b, a));
  }
  return out;
}

function changedValue(member: string, path: string, b: JSONValue | undefined, a: JSONValue | undefined): Piece[] {
  const label = path.includes('.') ? path : memberLabel(member);
  const flag = flags[path];
  if (flag && (b === undefined || typeof b === 'boolean') && (a === undefined || typeof a === 'boolean')) {
    return [a === true ? flag[0] : flag[1]];
  }
  if (path === 'indexed') {
    return [a === true ? 'indexed' : a === false ? 'not indexed' : 'index left to the default for the type'];
  }
  if (Array.isArray(b) && Array.isArray(a) && [...b, ...a].every((v) => typeof v === 'string')) {
    const [was, now] = [b as string[], a as string[]];
    const added = now.filter((v) => !was.includes(v));
    const removed = was.filter((v) => !now.includes(v));
    const parts: Piece[][] = [];
    if (added.length) parts.push([`added ${label} `, name(added.join(', '))]);
    if (removed.length) parts.push([`removed ${label} `, name(removed.join(', '))]);
    if (!added.length && !removed.length) parts.push([`reordered ${label}: `, name(now.join(', '))]);
    return parts.flatMap((p, i) => (i === 0 ? p : ['; ', ...p]));
  }
  if (b === undefined) return [`set ${label} to `, value(a)];
  if (a === undefined) return [`removed ${label} (was `, value(b), ')'];
  return [`changed ${label} from `, value(b), ' to ', value(a)];
}

/** summary says what a whole part is, in a few words: "string, required". */
function fieldSummary(f: JSONValue | undefined): string {
  if (!isObject(f)) return '';
  const bits: string[] = [];
  if (typeof f.type === 'string') bits.push(f.type === 'enum' && Array.isArray(f.values) ? `enum: ${list(f.values)}` : f.type);
  if (f.required === true) bits.push('required');
  if (f.unique === true) bits.push('unique');
  return bits.join(', ');
}

function entitySummary(e: JSONValue | undefined): string {
  if (!isObject(e) || !Array.isArray(e.fields)) return '';
  const names: string[] = e.fields.map((f) => (isObject(f) && typeof f.name === 'string' ? f.name : '?'));
  return names.length ? `${count(names.length, 'field')}: ${names.join(', ')}` : 'no fields';
}

function relationshipSummary(r: JSONValue | undefined): string {
  if (!isObject(r)) return '';
  const bits = [typeof r.kind === 'string' ? r.kind : '', `${typeof r.from === 'string' ? r.from : '?'} → ${typeof r.to === 'string' ? r.to : '?'}`];
  if (r.required === true) bits.push('required');
  return bits.filter(Boolean).join(', ');
}

function pageSummary(p: JSONValue | undefined): string {
  if (!isObject(p)) return '';
  const bits: string[] = [];
  if (typeof p.route === 'string') bits.push(`route ${p.route}`);
  if (Array.isArray(p.components)) bits.push(count(p.components.length, 'component'));
  return bits.join(', ');
}

function componentSummary(c: JSONValue | undefined): string {
  if (!isObject(c)) return '';
  const bits: string[] = [];
  if (typeof c.type === 'string') bits.push(c.type);
  if (Array.isArray(c.children) && c.children.length) bits.push(count(c.children.length, 'child', 'children'));
  return bits.join(', ');
}

function flowSummary(f: JSONValue | undefined): string {
  if (!isObject(f)) return '';
  return Array.isArray(f.steps) ? count(f.steps.length, 'step') : '';
}

/** wholePart is a line for a part added or removed as a whole. */
function wholePart(c: Change, what: string, key: string, summary: (v: JSONValue | undefined) => string): Line {
  const verb = c.op === 'add' ? 'added' : 'removed';
  const s = summary(c.op === 'add' ? c.after : c.before);
  return { op: c.op, path: c.path, pieces: [`${verb} ${what} `, name(key), ...(s ? [` (${s})`] : [])] };
}

function updates(c: Change): Line[] {
  const lines = memberLines(c.before, c.after);
  if (lines.length === 0) return [{ op: c.op, path: c.path, pieces: ['changed'] }];
  return lines.map((pieces) => ({ op: c.op, path: c.path, pieces }));
}

function reordered(c: Change, what: string): Line {
  return { op: c.op, path: c.path, pieces: [`reordered ${what}: `, name(list(c.after))] };
}

const listLabels: Record<string, [string, string]> = {
  entities: ['Entities', 'entity type'],
  relationships: ['Relationships', 'relationship'],
  pages: ['Pages', 'page'],
  xflows: ['Flows', 'flow'],
};

const summaries: Record<string, (v: JSONValue | undefined) => string> = {
  entities: entitySummary,
  relationships: relationshipSummary,
  pages: pageSummary,
  xflows: flowSummary,
};

/** describeChange places one change (its crumbs) and says it in words. */
export function describeChange(c: Change): { crumbs: string[]; lines: Line[] } {
  const seg = c.path.split('/').map(unescape);
  const [top = '', part, sub, item, rest] = seg;
  if (top === 'description') {
    const verb = c.op === 'add' ? 'set the description to ' : c.op === 'remove' ? 'removed the description (was ' : 'changed the description from ';
    const pieces: Piece[] =
      c.op === 'update' ? [verb, value(c.before), ' to ', value(c.after)] : c.op === 'add' ? [verb, value(c.after)] : [verb, value(c.before), ')'];
    return { crumbs: ['Model'], lines: [{ op: c.op, path: c.path, pieces }] };
  }
  const labels = listLabels[top];
  if (!labels) return { crumbs: [top], lines: updates(c) };
  const [title, what] = labels;
  if (part === undefined) return { crumbs: [title], lines: [reordered(c, `${what}s`.replace(/ys$/, 'ies'))] };
  if (sub === undefined) {
    if (c.op === 'add' || c.op === 'remove') return { crumbs: [title], lines: [wholePart(c, what, part, summaries[top] ?? (() => ''))] };
    return { crumbs: [title, part], lines: updates(c) };
  }
  // Inside a part: the fields of an entity type, the components of a page.
  const inner = top === 'entities' ? ['field', fieldSummary] as const : ['component', componentSummary] as const;
  if (item === undefined) return { crumbs: [title, part, sub], lines: [reordered(c, `${sub}`)] };
  if (rest !== undefined) return { crumbs: [title, part, sub, item], lines: [reordered(c, rest)] };
  if (c.op === 'add' || c.op === 'remove') return { crumbs: [title, part, sub], lines: [wholePart(c, inner[0], item, inner[1])] };
  return { crumbs: [title, part, sub, item], lines: updates(c) };
}

/** describeChanges groups the changes by the part they touch, in the server's order. */
export function describeChanges(changes: readonly Change[]): Group[] {
  const groups: Group[] = [];
  const byKey = new Map<string, Group>();
  for (const c of changes) {
    const { crumbs, lines } = describeChange(c);
    const key = JSON.stringify(crumbs);
    let g = byKey.get(key);
    if (!g) {
      g = { crumbs, lines: [] };
      byKey.set(key, g);
      groups.push(g);
    }
    g.lines.push(...lines);
  }
  return groups;
}

/** tally counts the changes by kind: "2 added, 1 changed, 1 removed". */
export function tally(changes: readonly Change[]): string {
  const n = { add: 0, update: 0, remove: 0, reorder: 0 };
  for (const c of changes) n[c.op]++;
  const bits: string[] = [];
  if (n.add) bits.push(`${n.add} added`);
  if (n.update) bits.push(`${n.update} changed`);
  if (n.remove) bits.push(`${n.remove} removed`);
  if (n.reorder) bits.push(`${n.reorder} reordered`);
  return bits.join(', ');
}
