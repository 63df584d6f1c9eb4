// A fake server for the session's tests: it keeps a document and its
// version, applies edits as editModel does (refusing a stale base with the
// changes since), and lets a test play another builder.

import { applyEdits, editKind, editPath } from './edits';
import { SaveError, type ServerModel, type Transport } from './session';
import type { Change, Edit, ModelDoc } from './types';

export class FakeServer implements Transport {
  version = 1;
  calls: { base: number; ops: string[] }[] = [];
  refuse: SaveError | null = null;
  /** refuseNext refuses the next write only. */
  refuseNext: SaveError | null = null;
  /** refuseWhen refuses (with refuse's error, or a generic one) the writes it matches. */
  refuseWhen: ((edits: Edit[]) => boolean) | null = null;
  changeReads = 0;
  private log: { version: number; changes: Change[] }[] = [];

  constructor(public doc: ModelDoc) {}

  current(): ServerModel {
    return { version: this.version, document: structuredClone(this.doc) };
  }

  /** otherEdits saves edits as another builder; it returns their changes. */
  otherEdits(edits: Edit[]): Change[] {
    const changes = this.commit(edits);
    return changes;
  }

  private commit(edits: Edit[]): Change[] {
    this.doc = applyEdits(this.doc, edits);
    this.version++;
    const changes: Change[] = edits.map((e) => {
      const kind = editKind(e);
      const c: Change = { op: kind, path: editPath(e) };
      if (kind === 'update' && e.value && typeof e.value === 'object' && !Array.isArray(e.value)) {
        c.before = Object.fromEntries(Object.keys(e.value).map((k) => [k, 'before']));
        c.after = e.value;
      }
      return c;
    });
    this.log.push({ version: this.version, changes });
    return changes;
  }

  edit(_name: string, base: number, edits: Edit[]): Promise<ServerModel> {
    this.calls.push({ base, ops: edits.map((e) => e.op) });
    if (this.refuse) return Promise.reject(this.refuse);
    const once = this.refuseNext;
    this.refuseNext = null;
    if (once) return Promise.reject(once);
    if (this.refuseWhen?.(edits)) return Promise.reject(new SaveError('invalid model', 'BAD_USER_INPUT', { 'entities[0].name': 'refused' }));
    if (base !== this.version) {
      const changes = this.log.filter((l) => l.version > base).flatMap((l) => l.changes);
      return Promise.reject(new SaveError('stale', 'CONFLICT', {}, { version: this.version, changes }));
    }
    this.commit(edits);
    return Promise.resolve(this.current());
  }

  changes(_name: string, from: number, to: number): Promise<Change[]> {
    this.changeReads++;
    return Promise.resolve(this.log.filter((l) => l.version > from && l.version <= to).flatMap((l) => l.changes));
  }

  load(): Promise<ServerModel> {
    return Promise.resolve(this.current());
  }
}
