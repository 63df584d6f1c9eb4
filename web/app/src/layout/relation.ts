// Reference fields: the options of a relation picker and the lookups that
// turn the ids a reference holds into the names people read.

import { textOf } from './format';
import type { Entity, FormField, Option } from './types';

/** pickerLimit is how many entities a picker lists for one search. */
export const pickerLimit = 50;

/** entityLabel names e by its displayField, falling back to its id. */
export function entityLabel(e: Entity, displayField: string): string {
  const v = displayField === 'id' ? e.id : e.data[displayField];
  if (v === undefined || v === null) return e.id;
  const s = textOf(v);
  return s.trim() === '' ? e.id : s;
}

/** toOptions maps entities to the options of a picker: value id, label its name. */
export function toOptions(items: Entity[], displayField: string): Option[] {
  return items.map((e) => ({ value: e.id, label: entityLabel(e, displayField) }));
}

/**
 * withSelected is options with selected added (first) when it is not among
 * them, so that a picker can show the label of its value.
 */
export function withSelected(options: Option[], selected: Option | null): Option[] {
  if (!selected || options.some((o) => o.value === selected.value)) return options;
  return [selected, ...options];
}

/** idFilter is the filter `id = "<id>"`. */
export function idFilter(id: string): string {
  return `id = ${JSON.stringify(id)}`;
}

/** idsFilter is the filter `id in ["a", "b"]` of the distinct ids, or '' for none. */
export function idsFilter(ids: string[]): string {
  const distinct = [...new Set(ids)];
  return distinct.length === 0 ? '' : `id in [${distinct.map((id) => JSON.stringify(id)).join(', ')}]`;
}

/** Lookup is one batch lookup of the entities a reference column shows. */
export interface Lookup {
  column: string;
  entity: string;
  displayField: string;
  filter: string;
  limit: number;
}

/**
 * lookups are the loads that name what the reference fields among columns
 * refer to in items: one per column, of its distinct ids (string values).
 */
export function lookups(fields: FormField[], columns: string[], items: Entity[]): Lookup[] {
  const out: Lookup[] = [];
  for (const column of columns) {
    const rel = fields.find((x) => x.name === column)?.relation;
    if (!rel) continue;
    const ids = new Set<string>();
    for (const e of items) {
      const v = e.data[column];
      if (typeof v === 'string' && v !== '') ids.add(v);
    }
    if (ids.size === 0) continue;
    out.push({ column, entity: rel.entity, displayField: rel.displayField, filter: idsFilter([...ids]), limit: ids.size });
  }
  return out;
}

/**
 * searchText is what a picker asks the server for: nothing while the input
 * shows the label of the picked option (Mantine puts it there), else the
 * typed text, trimmed.
 */
export function searchText(typed: string, selected: Option | null): string {
  const t = typed.trim();
  return selected && typed === selected.label ? '' : t;
}
