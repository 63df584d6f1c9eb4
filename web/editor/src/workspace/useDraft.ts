// What an input shows while the document it edits changes under it: the
// builder's draft follows the document when others (or undo, or a conflict
// resolved) change the value, and is left alone otherwise, so an entry in
// progress, even an invalid one, is never lost to an unrelated change.

import { useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { FieldValues, Path, PathValue, UseFormReturn } from 'react-hook-form';
import { equal } from '../model/patch';

/** sameValue says whether an input's value already says what the document says: "Due " is "Due", "1.0" is "1". */
export function sameValue(input: unknown, doc: unknown): boolean {
  if (typeof input === 'string' && typeof doc === 'string') {
    const a = input.trim();
    const b = doc.trim();
    return a === b || (a !== '' && b !== '' && Number.isFinite(Number(a)) && Number(a) === Number(b));
  }
  return equal(input, doc);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * followDraft is what an input (draft) shows after the document's value
 * went from before to now: now, when the document changed and the draft
 * does not already say it; else the draft itself (the same object). A
 * record (a form's values) is followed member by member.
 */
export function followDraft<T>(before: T, now: T, draft: T): T {
  if (isRecord(before) && isRecord(now) && isRecord(draft)) {
    let out = draft;
    for (const k of Object.keys(now)) {
      const v = followDraft(before[k], now[k], draft[k]);
      if (v !== draft[k]) out = { ...out, [k]: v };
    }
    return out;
  }
  return equal(before, now) || sameValue(draft, now) ? draft : now;
}

/**
 * useDraft keeps what is typed in an input of value (a document's value),
 * following value as followDraft says.
 */
export function useDraft<T>(value: T): [T, Dispatch<SetStateAction<T>>] {
  const [draft, setDraft] = useState(value);
  const [seen, setSeen] = useState(value);
  if (!equal(seen, value)) {
    setSeen(value);
    const next = followDraft(seen, value, draft);
    if (next !== draft) setDraft(next);
  }
  return [draft, setDraft];
}

/**
 * useFormDraft is useDraft for a React Hook Form form: values (the form
 * the document's part makes) are brought into the form member by member,
 * as followDraft says, and checked again.
 */
export function useFormDraft<V extends FieldValues>(form: UseFormReturn<V>, values: V): void {
  const prev = useRef(values);
  useEffect(() => {
    const before = prev.current;
    prev.current = values;
    for (const k of Object.keys(values) as Path<V>[]) {
      const now = values[k] as PathValue<V, Path<V>>;
      const draft = form.getValues(k);
      if (followDraft(before[k], now, draft) !== draft) form.setValue(k, now, { shouldValidate: true });
    }
  }, [form, values]);
}
