import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { idFilter, pickerLimit, searchText, toOptions, withSelected } from '../layout/relation';
import type { EntityPage, Option } from '../layout/types';
import { useRuntime } from '../runtime';

/** searchDelay is how long a picker waits after a keystroke before searching. */
export const searchDelay = 250;

export interface RelationOptions {
  /** The options to show: the search's results, with the picked one. */
  options: Option[];
  loading: boolean;
  error: string | null;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * useRelationOptions lists the entities of type entity that a picker offers:
 * the first ones matching typed (searched on the server, after a pause in
 * typing), and the one whose id is value, loaded by id when it is not among
 * them so that its name shows.
 */
export function useRelationOptions(app: string, entity: string, displayField: string, value: string, typed: string): RelationOptions {
  const { rpc } = useRuntime();
  const [selected, setSelected] = useState<Option | null>(null);
  const [search] = useDebouncedValue(searchText(typed, selected), searchDelay);
  const [found, setFound] = useState<Option[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setLoading(true);
    rpc
      .call<EntityPage>('loadEntityData', { app, entity, search, limit: pickerLimit })
      .then((page) => {
        if (!live) return;
        setFound(toOptions(page.items, displayField));
        setError(null);
      })
      .catch((e: unknown) => live && setError(message(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [rpc, app, entity, displayField, search]);

  // The picked entity: from the results when there, else loaded by its id.
  const inFound = value === '' ? undefined : found.find((o) => o.value === value);
  const known = selected?.value === value;
  useEffect(() => {
    if (value === '') {
      setSelected(null);
      return;
    }
    if (inFound) {
      setSelected((s) => (s?.value === inFound.value && s.label === inFound.label ? s : inFound));
      return;
    }
    if (known) return;
    let live = true;
    rpc
      .call<EntityPage>('loadEntityData', { app, entity, filter: idFilter(value), limit: 1 })
      .then((page) => {
        if (!live) return;
        // An id that names nothing (deleted meanwhile) still shows, as itself.
        setSelected(toOptions(page.items, displayField)[0] ?? { value, label: value });
      })
      .catch((e: unknown) => live && setError(message(e)));
    return () => {
      live = false;
    };
  }, [rpc, app, entity, displayField, value, inFound, known]);

  return { options: withSelected(found, selected?.value === value ? selected : null), loading, error };
}
