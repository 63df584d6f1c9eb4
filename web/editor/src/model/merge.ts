// Deciding whether a builder's unsaved edits and another builder's saved
// changes touch the same thing (docs/decisions/0005).

import { editKind, editPaths } from './edits';
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
  if (removesEntityOf(edit, change) || removesEntityOf(change, edit)) return true;
  return editPaths(edit).some((p) => overlapsAt(edit, p, change));
}

function overlapsAt(edit: Edit, path: string, change: Change): boolean {
  const mine = segments(path);
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

/**
 * removesEntityOf reports whether one side removes an entity type that a
 * relationship the other side adds or changes starts or ends at: removing
 * the type removes its relationships with it.
 */
function removesEntityOf(a: Edit | Change, b: Edit | Change): boolean {
  const removed = isChange(a) ? (a.op === 'remove' ? /^entities\/([^/]+)$/.exec(a.path)?.[1] : undefined) : a.op === 'removeEntity' ? a.entity : undefined;
  if (removed === undefined) return false;
  const ends: unknown[] = [];
  if (isChange(b)) {
    if (!b.path.startsWith('relationships/')) return false;
    for (const v of [b.before, b.after]) if (isObject(v)) ends.push(v.from, v.to);
  } else if (b.op === 'addRelationship' || b.op === 'updateRelationship') {
    if (isObject(b.value)) ends.push(b.value.from, b.value.to);
    if (b.op === 'updateRelationship') return true; // its ends are not in a patch that leaves them: assume they may be
  } else {
    return false;
  }
  const name = removed.replace(/~1/g, '/').replace(/~0/g, '~');
  return ends.includes(name);
}

function isChange(x: Edit | Change): x is Change {
  return 'path' in x;
}

/** overlapping returns the changes that edits overlap. */
export function overlapping(edits: readonly Edit[], changes: readonly Change[]): Change[] {
  return changes.filter((c) => edits.some((e) => overlaps(e, c)));
}
