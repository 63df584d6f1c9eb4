import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { idFilter, pickerLimit, searchText, toOptions, withSelected } from '../layout/relation';
import type { EntityPage, Option } from '../layout/types';
import { errorMessage } from '../rpc/client';
import { useRuntime } from '../runtime';

/** searchDelay is how long a picker waits after a keystroke before searching. */
export const searchDelay = 250;

export interface RelationOptions {
  /** The options to show: the search's results, with the picked one. */
  options: Option[];
  loading: boolean;
  error: string | null;
}

/**
 * useRelationOptions lists the entities of type entity that a picker offers:
 * the first ones matching typed (searched on the server, after a pause in
 * typing), and the one whose id is value, loaded by id when it is not among
 * them so that its name shows.
 */
export function useRelationOptions(app: string, entity: string, displayField: string, value: string, typed: string): RelationOptions {
  const { rpc } = useRuntime();
  // The picked option, kept once known (found, or loaded by its id).
  const [picked, setPicked] = useState<Option | null>(null);
  const selected = value !== '' && picked?.value === value ? picked : null;
  const [search] = useDebouncedValue(searchText(typed, selected), searchDelay);

  const searchKey = JSON.stringify([app, entity, displayField, search]);
  const [found, setFound] = useState<{ key: string; options: Option[]; error: string | null }>({ key: '', options: [], error: null });
  useEffect(() => {
    let live = true;
    rpc
      .call<EntityPage>('loadEntityData', { app, entity, search, limit: pickerLimit })
      .then((page) => live && setFound({ key: searchKey, options: toOptions(page.items, displayField), error: null }))
      .catch((e: unknown) => live && setFound((f) => ({ key: searchKey, options: f.options, error: errorMessage(e) })));
    return () => {
      live = false;
    };
  }, [rpc, app, entity, displayField, search, searchKey]);
  const loading = found.key !== searchKey;

  // The picked entity: from the results when there, else loaded by its id.
  const inFound = value === '' ? undefined : found.options.find((o) => o.value === value);
  if (inFound && (picked?.value !== inFound.value || picked.label !== inFound.label)) setPicked(inFound);
  const [lookupError, setLookupError] = useState<{ value: string; error: string } | null>(null);
  const lookUp = value !== '' && !inFound && picked?.value !== value;
  useEffect(() => {
    if (!lookUp) return;
    let live = true;
    rpc
      .call<EntityPage>('loadEntityData', { app, entity, filter: idFilter(value), limit: 1 })
      // An id that names nothing (deleted meanwhile) still shows, as itself.
      .then((page) => live && setPicked(toOptions(page.items, displayField)[0] ?? { value, label: value }))
      .catch((e: unknown) => live && setLookupError({ value, error: errorMessage(e) }));
    return () => {
      live = false;
    };
  }, [rpc, app, entity, displayField, value, lookUp]);

  const error = found.error ?? (lookupError?.value === value ? lookupError.error : null);
  return { options: withSelected(found.options, selected), loading, error };
}
