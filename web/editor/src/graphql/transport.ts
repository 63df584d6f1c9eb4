// The session's Transport on the Apollo client: editModel and the model's
// document.

import type { ApolloClient } from '@apollo/client';
import type { ServerModel, Transport } from '../model/session';
import type { Change, Edit, ModelDoc } from '../model/types';
import { toSaveError } from './errors';
import { EDIT_MODEL, MODEL_DIFF, MODEL_DOCUMENT } from './operations';

interface ModelData {
  version: number;
  document: ModelDoc;
}

export function apolloTransport(apollo: ApolloClient): Transport {
  return {
    async edit(name: string, baseVersion: number, edits: Edit[]): Promise<ServerModel> {
      try {
        const res = await apollo.mutate<{ editModel: ModelData }>({
          mutation: EDIT_MODEL,
          variables: { name, baseVersion, edits },
          fetchPolicy: 'no-cache',
        });
        const m = res.data?.editModel;
        if (!m) throw new Error('the server answered without the model');
        return { version: m.version, document: m.document };
      } catch (e) {
        throw toSaveError(e);
      }
    },
    async changes(name: string, from: number, to: number): Promise<Change[]> {
      try {
        const res = await apollo.query<{ model: { diff: Change[] } | null }>({
          query: MODEL_DIFF,
          variables: { name, from, to },
          fetchPolicy: 'no-cache',
        });
        const m = res.data?.model;
        if (!m) throw new Error(`model ${name} no longer exists`);
        return m.diff;
      } catch (e) {
        throw toSaveError(e);
      }
    },
    async load(name: string): Promise<ServerModel> {
      try {
        const res = await apollo.query<{ model: ModelData | null }>({
          query: MODEL_DOCUMENT,
          variables: { name },
          fetchPolicy: 'network-only',
        });
        const m = res.data?.model;
        if (!m) throw new Error(`model ${name} no longer exists`);
        return { version: m.version, document: m.document };
      } catch (e) {
        throw toSaveError(e);
      }
    },
  };
}
