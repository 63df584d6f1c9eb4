// JSON merge patches (RFC 7386), as updateField and the other update edits
// take them: members set to null are removed, objects merge, anything else
// replaces.

import type { JSONObject, JSONValue } from './types';

export function isObject(v: unknown): v is JSONObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** mergePatch returns target with patch applied; neither is changed. */
export function mergePatch(target: JSONValue | undefined, patch: JSONValue): JSONValue {
  if (!isObject(patch)) return clone(patch);
  const out: JSONObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/**
 * composePatch returns one merge patch that does what a and then b do:
 * objects combine member by member, and a null in b stays null (it must
 * still remove the member from the target).
 */
export function composePatch(a: JSONValue | undefined, b: JSONValue): JSONValue {
  if (!isObject(a) || !isObject(b)) return clone(b);
  const out: JSONObject = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isObject(prev) && isObject(v) ? composePatch(prev, v) : clone(v);
  }
  return out;
}

/**
 * diffPatch returns the merge patch that turns before into after (members
 * compared deeply; arrays replace whole), or null when they are equal.
 */
export function diffPatch(before: JSONObject, after: JSONObject): JSONObject | null {
  const patch: JSONObject = {};
  for (const k of Object.keys(before)) {
    if (!(k in after)) patch[k] = null;
  }
  for (const [k, v] of Object.entries(after)) {
    const b = before[k];
    if (equal(b, v)) continue;
    if (isObject(b) && isObject(v)) {
      const inner = diffPatch(b, v);
      if (inner) patch[k] = inner;
    } else {
      patch[k] = clone(v);
    }
  }
  return Object.keys(patch).length ? patch : null;
}

/**
 * inversePatch returns the merge patch that undoes patch on target: each
 * member the patch touches, put back as target had it (null: it was absent).
 */
export function inversePatch(target: JSONObject, patch: JSONObject): JSONObject {
  const inv: JSONObject = {};
  for (const [k, v] of Object.entries(patch)) {
    const had = target[k];
    if (had === undefined) {
      if (v !== null) inv[k] = null;
    } else if (isObject(had) && isObject(v)) {
      inv[k] = inversePatch(had, v);
    } else {
      inv[k] = clone(had);
    }
  }
  return inv;
}

/** equal compares JSON values deeply (object member order ignored). */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => equal(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equal(a[k], b[k]));
  }
  return false;
}

export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}
