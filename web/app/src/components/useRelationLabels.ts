import { useEffect, useState } from 'react';
import { lookups, toOptions } from '../layout/relation';
import type { Entity, EntityPage, FormField } from '../layout/types';
import { useRuntime } from '../runtime';
import { usePage } from './PageContext';

/** RelationLabels maps a reference column to the names of the ids it shows. */
export type RelationLabels = Map<string, Map<string, string>>;

/**
 * useRelationLabels names the entities that the reference columns of a grid
 * page (or the fields of a detail) refer to: one loadEntityData per column
 * (filter `id in [...]`), sent together in one batch. It loads again when
 * the data of the types referred to changes (the page's subscription
 * carries their changes: a project renamed renames it on its tasks). Until
 * they answer, and where one fails, cells show ids.
 */
export function useRelationLabels(app: string, fields: FormField[], columns: string[], items: Entity[]): RelationLabels {
  const { rpc } = useRuntime();
  const { dataVersion } = usePage();
  const [labels, setLabels] = useState<RelationLabels>(new Map());
  const wanted = lookups(fields, columns, items);
  const types = [...new Set(wanted.map((l) => l.entity))].sort();
  const key = JSON.stringify([wanted, types.map((t) => dataVersion(t))]);
  useEffect(() => {
    const [asked] = JSON.parse(key) as [ReturnType<typeof lookups>, number[]];
    if (asked.length === 0) return;
    let live = true;
    const asks = asked.map((l) =>
      rpc
        .call<EntityPage>('loadEntityData', { app, entity: l.entity, filter: l.filter, limit: l.limit })
        .then((page) => [l.column, new Map(toOptions(page.items, l.displayField).map((o) => [o.value, o.label]))] as const)
        .catch(() => null),
    );
    void Promise.all(asks).then((answers) => {
      if (live) setLabels(new Map(answers.filter((a) => a !== null)));
    });
    return () => {
      live = false;
    };
  }, [rpc, app, key]);
  return labels;
}
