import { useEffect, useState } from 'react';
import type { FormResult } from '../layout/types';
import { errorMessage, RpcError } from '../rpc/client';
import { useRuntime } from '../runtime';

/** code is the torque error code (ENOTFOUND...), when there is one. */
export type Loaded<T> = { status: 'loading' } | { status: 'ok'; data: T } | { status: 'error'; error: string; code?: string };

interface Answer {
  /** The app, entity type and id it is for. */
  of: string;
  result: Loaded<FormResult>;
}

/**
 * useFormDefinition loads the form of entity (with the entity id when
 * editing or showing one); fields picks the fields. It loads again when any
 * of them change, or version does (a change of the data). While it loads
 * again for the same entity, it keeps answering what it had, so that a form
 * keeps its inputs on screen; for another entity it answers loading.
 */
export function useFormDefinition(app: string, entity: string, id?: string, fields?: string[], version = 0): Loaded<FormResult> {
  const { rpc } = useRuntime();
  const [answer, setAnswer] = useState<Answer | null>(null);
  const of = JSON.stringify([app, entity, id ?? '']);
  const fieldsKey = fields && fields.length > 0 ? JSON.stringify(fields) : '';
  // version is not sent: a new one (the data changed) asks again.
  useEffect(() => {
    let live = true;
    const params: Record<string, unknown> = { app, entity };
    if (id) params.id = id;
    if (fieldsKey) params.fields = JSON.parse(fieldsKey) as string[];
    const answered = (result: Loaded<FormResult>) => live && setAnswer({ of, result });
    rpc
      .call<FormResult>('getFormDefinition', params)
      .then((data) => answered({ status: 'ok', data }))
      .catch((e: unknown) =>
        answered({ status: 'error', error: errorMessage(e), code: e instanceof RpcError ? e.torqueCode : undefined }),
      );
    return () => {
      live = false;
    };
  }, [rpc, app, entity, id, fieldsKey, of, version]);
  return answer?.of === of ? answer.result : { status: 'loading' };
}
