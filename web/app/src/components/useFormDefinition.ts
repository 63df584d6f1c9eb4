import { useEffect, useState } from 'react';
import type { FormResult } from '../layout/types';
import { useRuntime } from '../runtime';

export type Loaded<T> = { status: 'loading' } | { status: 'ok'; data: T } | { status: 'error'; error: string };

/**
 * useFormDefinition loads the form of entity (with the entity id when
 * editing); fields picks the fields. It loads again when any of them change.
 */
export function useFormDefinition(app: string, entity: string, id?: string, fields?: string[]): Loaded<FormResult> {
  const { rpc } = useRuntime();
  const [state, setState] = useState<Loaded<FormResult>>({ status: 'loading' });
  const fieldsKey = fields && fields.length > 0 ? JSON.stringify(fields) : '';
  useEffect(() => {
    let live = true;
    const params: Record<string, unknown> = { app, entity };
    if (id) params.id = id;
    if (fieldsKey) params.fields = JSON.parse(fieldsKey) as string[];
    rpc
      .call<FormResult>('getFormDefinition', params)
      .then((data) => live && setState({ status: 'ok', data }))
      .catch((e: unknown) => live && setState({ status: 'error', error: e instanceof Error ? e.message : String(e) }));
    return () => {
      live = false;
    };
  }, [rpc, app, entity, id, fieldsKey]);
  return state;
}
