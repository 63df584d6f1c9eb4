// Deciding whether a builder's unsaved edits and another builder's saved
// changes touch the same thing (docs/decisions/0005).

import { editKind, editPath } from './edits';
import { equal, isObject } from './patch';
import type { Change, Edit, JSONValue } from './types';

function segments(path: string): string[] {
  return path.split('/');
}

function isPrefix(a: string[], b: string[]): boolean {
  return a.length < b.length && a.every((s, i) => s === b[i]);
}

/** changedMembers lists the top-level members that differ between before and after. */
export function changedMembers(before: JSONValue | undefined, after: JSONValue | undefined): string[] {
  if (!isObject(before) || !isObject(after)) return ['*'];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => !equal(before[k], after[k]));
}

/**
 * overlaps reports whether edit and change touch the same thing: the same
 * part (for two updates: the same members of it), or a part and something
 * inside it that was added or removed as a whole.
 */
export function overlaps(edit: Edit, change: Change): boolean {
  const mine = segments(editPath(edit));
  const theirs = segments(change.path);
  const kind = editKind(edit);
  if (isPrefix(mine, theirs)) return kind === 'add' || kind === 'remove';
  if (isPrefix(theirs, mine)) return change.op === 'add' || change.op === 'remove';
  if (mine.join('/') !== theirs.join('/')) return false;
  if (kind === 'update' && change.op === 'update') {
    if (!isObject(edit.value)) return true;
    const touched = changedMembers(change.before, change.after);
    return touched.includes('*') || Object.keys(edit.value).some((k) => touched.includes(k));
  }
  return true;
}

/** overlapping returns the changes that edits overlap. */
export function overlapping(edits: readonly Edit[], changes: readonly Change[]): Change[] {
  return changes.filter((c) => edits.some((e) => overlaps(e, c)));
}
