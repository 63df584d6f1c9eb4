import { describe, expect, it } from 'vitest';
import { FakeServer } from './fakeserver';
import { todo } from './fixtures';
import { ModelSession, SaveError, type SessionOptions, type StoredPending } from './session';

// A session with a fake server (testserver.ts) and a manual clock.
function setup(opts: SessionOptions = {}) {
  const server = new FakeServer(todo());
  const timers: (() => void)[] = [];
  const s = new ModelSession('TODO', server.current(), server, {
    ...opts,
    setTimer: (fn) => {
      timers.push(fn);
      return timers.length - 1;
    },
    clearTimer: (t) => {
      timers[t as number] = () => undefined;
    },
  });
  const run = async () => {
    for (let i = 0; i < 20; i++) {
      const fns = timers.splice(0);
      if (!fns.length) break;
      for (const fn of fns) fn();
      await new Promise((r) => setTimeout(r, 0));
    }
  };
  return { server, s, run };
}

describe('ModelSession', () => {
  it('applies at once and saves with the base version', async () => {
    const { server, s, run } = setup();
    s.edit('Add field tags', [{ op: 'addField', entity: 'Task', value: { name: 'tags', type: 'string' } }]);
    expect(s.getState().doc.entities[0]?.fields.map((f) => f.name)).toContain('tags');
    expect(s.getState().status).toBe('unsaved');
    await run();
    expect(server.calls).toEqual([{ base: 1, ops: ['addField'] }]);
    expect(s.getState().status).toBe('saved');
    expect(s.getState().version).toBe(2);
  });

  it('folds typing into one member into one action, one save and one undo', async () => {
    const { server, s, run } = setup();
    for (const n of [1, 12, 120]) {
      s.edit('Set max length', [{ op: 'updateField', entity: 'Task', field: 'title', value: { maxLength: n } }], { coalesce: true });
    }
    await run();
    expect(server.calls).toHaveLength(1);
    expect(server.doc.entities[0]?.fields[0]?.maxLength).toBe(120);
    s.undo();
    await run();
    expect(server.doc.entities[0]?.fields[0]?.maxLength).toBe(200);
  });

  it('undo and redo are saved like any edit', async () => {
    const { server, s, run } = setup();
    s.edit('Remove field due', [{ op: 'removeField', entity: 'Task', field: 'due' }]);
    await run();
    expect(s.getState().undoLabel).toBe('Remove field due');
    s.undo();
    expect(s.getState().canRedo).toBe(true);
    await run();
    expect(server.doc.entities[0]?.fields.map((f) => f.name)).toEqual(['title', 'status', 'due']);
    s.redo();
    await run();
    expect(server.doc.entities[0]?.fields.map((f) => f.name)).toEqual(['title', 'status']);
    expect(server.version).toBe(4);
  });

  it('merges a change by someone else that does not overlap, keeping both', async () => {
    const { server, s, run } = setup();
    server.otherEdits([{ op: 'updateField', entity: 'Task', field: 'title', value: { displayName: 'Title' } }]);
    s.edit('Set max length', [{ op: 'updateField', entity: 'Task', field: 'title', value: { maxLength: 80 } }]);
    await run();
    expect(server.calls.map((c) => c.base)).toEqual([1, 2]); // refused as stale, then sent on their version
    expect(server.doc.entities[0]?.fields[0]).toMatchObject({ displayName: 'Title', maxLength: 80 });
    expect(s.getState().status).toBe('saved');
    expect(s.getState().doc).toEqual(server.doc);
  });

  it('shows an overlapping change, and keeps mine when asked', async () => {
    const { server, s, run } = setup();
    server.otherEdits([{ op: 'updateField', entity: 'Task', field: 'title', value: { maxLength: 50 } }]);
    s.edit('Set max length', [{ op: 'updateField', entity: 'Task', field: 'title', value: { maxLength: 80 } }]);
    await run();
    const c = s.getState().conflict;
    expect(s.getState().status).toBe('conflict');
    expect(c?.clashes).toHaveLength(1);
    expect(c?.clashes[0]?.changes[0]?.path).toBe('entities/Task/fields/title');
    s.resolve({ [c?.clashes[0]?.id ?? 0]: 'mine' });
    await run();
    expect(server.doc.entities[0]?.fields[0]?.maxLength).toBe(80);
    expect(s.getState().status).toBe('saved');
  });

  it('takes theirs when asked, dropping mine', async () => {
    const { server, s, run } = setup();
    server.otherEdits([{ op: 'removeField', entity: 'Task', field: 'title' }]);
    s.edit('Set max length', [{ op: 'updateField', entity: 'Task', field: 'title', value: { maxLength: 80 } }]);
    await run();
    const clash = s.getState().conflict?.clashes[0];
    expect(clash?.applies).toBe(false);
    s.resolve({ [clash?.id ?? 0]: 'mine' }); // cannot apply: theirs wins
    await run();
    expect(s.getState().doc).toEqual(server.doc);
    expect(server.calls).toHaveLength(1);
  });

  it('follows live changes and keeps unsaved edits on top', () => {
    const { server, s } = setup();
    s.edit('Add entity Tag', [{ op: 'addEntity', value: { name: 'Tag', fields: [] } }]);
    const changes = server.otherEdits([{ op: 'setDescription', value: 'Shared tasks' }]);
    s.remote(server.current(), changes);
    expect(s.getState().version).toBe(2);
    expect(s.getState().doc.description).toBe('Shared tasks');
    expect(s.getState().doc.entities.map((e) => e.name)).toContain('Tag');
  });

  it('ignores the echo of its own save', async () => {
    const { server, s, run } = setup();
    s.edit('Describe', [{ op: 'setDescription', value: 'x' }]);
    await run();
    const state = s.getState();
    s.remote(server.current(), []);
    expect(s.getState()).toBe(state);
  });

  it('takes back a refused action and says why, with the fields', async () => {
    const { server, s, run } = setup();
    server.refuse = new SaveError('invalid model', 'BAD_USER_INPUT', { 'entities[0].fields[3].type': 'unknown type "colour"' });
    s.edit('Add field color', [{ op: 'addField', entity: 'Task', value: { name: 'color', type: 'colour' } }]);
    await run();
    const st = s.getState();
    expect(st.status).toBe('error');
    expect(st.refusal?.fields).toEqual({ 'entities[0].fields[3].type': 'unknown type "colour"' });
    expect(st.doc).toEqual(server.doc);
    expect(st.canUndo).toBe(false);
  });

  it('retries while the server cannot be reached', async () => {
    const { server, s, run } = setup();
    server.refuse = new SaveError('Failed to fetch', '');
    s.edit('Describe', [{ op: 'setDescription', value: 'x' }]);
    const timersRun = run();
    await new Promise((r) => setTimeout(r, 0));
    server.refuse = null;
    await timersRun;
    await run();
    expect(server.doc.description).toBe('x');
    expect(s.getState().status).toBe('saved');
  });

  it('an undo that no longer applies says so instead of breaking', async () => {
    const { server, s, run } = setup();
    s.edit('Add field tags', [{ op: 'addField', entity: 'Task', value: { name: 'tags', type: 'string' } }]);
    await run();
    const changes = server.otherEdits([{ op: 'removeEntity', entity: 'Task' }]);
    s.remote(server.current(), changes);
    s.undo();
    expect(s.getState().refusal?.message).toMatch(/cannot undo/);
    expect(s.getState().doc).toEqual(server.doc);
  });
});

describe('ModelSession, the hard cases', () => {
  it('typing a value and clearing it before the save clears it', async () => {
    const { server, s, run } = setup();
    s.edit('Set display name', [{ op: 'updateField', entity: 'Task', field: 'due', value: { displayName: 'X' } }], { coalesce: true });
    s.edit('Set display name', [{ op: 'updateField', entity: 'Task', field: 'due', value: { displayName: null } }], { coalesce: true });
    await run();
    expect(server.doc.entities[0]?.fields[2]).toEqual({ name: 'due', type: 'date' });
    expect(server.calls).toHaveLength(1);
  });

  it('an action that changes nothing makes no version', async () => {
    const { server, s, run } = setup();
    s.edit('Set max length', [{ op: 'updateField', entity: 'Task', field: 'title', value: { maxLength: 200 } }]);
    await run();
    expect(server.calls).toHaveLength(0);
    expect(s.getState().canUndo).toBe(false);
  });

  it('after "keep theirs", undo does not write my old value over theirs', async () => {
    const { server, s, run } = setup();
    server.otherEdits([{ op: 'updateField', entity: 'Task', field: 'title', value: { maxLength: 50 } }]);
    s.edit('Set max length', [{ op: 'updateField', entity: 'Task', field: 'title', value: { maxLength: 80 } }]);
    await run();
    const clash = s.getState().conflict?.clashes[0];
    s.resolve({ [clash?.id ?? 0]: 'theirs' });
    expect(s.getState().canUndo).toBe(false);
    s.undo();
    await run();
    expect(server.doc.entities[0]?.fields[0]?.maxLength).toBe(50);
  });

  it('a later version while the conflict is open keeps the conflict, with both changes', async () => {
    const { server, s, run } = setup();
    server.otherEdits([{ op: 'updateField', entity: 'Task', field: 'title', value: { maxLength: 50 } }]);
    s.edit('Set max length', [{ op: 'updateField', entity: 'Task', field: 'title', value: { maxLength: 80 } }]);
    await run();
    expect(s.getState().status).toBe('conflict');
    const later = server.otherEdits([{ op: 'setDescription', value: 'later' }]);
    s.remote(server.current(), later);
    await run();
    expect(s.getState().status).toBe('conflict');
    expect(s.getState().conflict?.theirs.version).toBe(3);
    expect(server.calls).toHaveLength(1); // mine was not sent over theirs
    s.resolve({ [s.getState().conflict?.clashes[0]?.id ?? 0]: 'mine' });
    await run();
    expect(server.doc.entities[0]?.fields[0]?.maxLength).toBe(80);
    expect(server.doc.description).toBe('later');
  });

  it('a version whose changes are not known is read from the server before merging', async () => {
    const { server, s, run } = setup();
    s.edit('Set max length', [{ op: 'updateField', entity: 'Task', field: 'title', value: { maxLength: 80 } }], { coalesce: true });
    server.otherEdits([{ op: 'updateField', entity: 'Task', field: 'title', value: { maxLength: 50 } }]);
    s.remote(server.current(), null); // e.g. a truncated event
    await run();
    expect(server.changeReads).toBe(1);
    expect(s.getState().status).toBe('conflict');
  });

  it('missed versions are read as one step, not merged blindly', async () => {
    const { server, s, run } = setup();
    s.edit('Set max length', [{ op: 'updateField', entity: 'Task', field: 'title', value: { maxLength: 80 } }], { coalesce: true });
    server.otherEdits([{ op: 'updateField', entity: 'Task', field: 'title', value: { maxLength: 50 } }]);
    const second = server.otherEdits([{ op: 'setDescription', value: 'x' }]);
    s.remote(server.current(), second); // version 3 with the changes of 2→3 only
    await run();
    expect(s.getState().status).toBe('conflict');
  });

  it('the echo of its own save, arriving with another version, is no conflict', async () => {
    const { server, s, run } = setup();
    s.edit('Set max length', [{ op: 'updateField', entity: 'Task', field: 'title', value: { maxLength: 80 } }]);
    const sending = run();
    // While the save is on its way: its echo (version 2) and someone's version 3.
    await Promise.resolve();
    await sending;
    const echo = { version: 2, document: server.doc };
    s.remote(echo, [{ op: 'update', path: 'entities/Task/fields/title', before: { maxLength: 200 }, after: { maxLength: 80 } }]);
    s.edit('Set max length again', [{ op: 'updateField', entity: 'Task', field: 'title', value: { maxLength: 90 } }]);
    const theirs = server.otherEdits([{ op: 'setDescription', value: 'y' }]);
    s.remote(server.current(), theirs);
    await run();
    expect(s.getState().status).toBe('saved');
    expect(server.doc.entities[0]?.fields[0]?.maxLength).toBe(90);
  });

  it('sends the unsaved actions together, and a refusal naming one edit takes back that action only', async () => {
    const { server, s, run } = setup();
    server.refuseNext = new SaveError('invalid', 'BAD_USER_INPUT', { 'edits[1].value.type': 'unknown type' });
    s.edit('Add a', [{ op: 'addField', entity: 'Project', value: { name: 'a', type: 'string' } }]);
    s.edit('Add b', [{ op: 'addField', entity: 'Project', value: { name: 'b', type: 'colour' } }]);
    s.edit('Add c', [{ op: 'addField', entity: 'Project', value: { name: 'c', type: 'string' } }]);
    await run();
    expect(server.calls[0]?.ops).toEqual(['addField', 'addField', 'addField']);
    expect(server.doc.entities[1]?.fields.map((f) => f.name)).toEqual(['name', 'a', 'c']);
    expect(s.getState().refusal?.label).toBe('Add b');
  });

  it('a refusal that names no action finds it by sending one at a time', async () => {
    const { server, s, run } = setup();
    server.refuseWhen = (edits) => edits.some((e) => JSON.stringify(e.value).includes('colour'));
    s.edit('Add a', [{ op: 'addField', entity: 'Project', value: { name: 'a', type: 'string' } }]);
    s.edit('Add b', [{ op: 'addField', entity: 'Project', value: { name: 'b', type: 'colour' } }]);
    await run();
    expect(server.calls.map((c) => c.ops.length)).toEqual([2, 1, 1]);
    expect(server.doc.entities[1]?.fields.map((f) => f.name)).toEqual(['name', 'a']);
    expect(s.getState().refusal?.label).toBe('Add b');
  });

  it('a lost sign-in keeps the actions, says so, and they are saved later', async () => {
    const stored = new Map<string, StoredPending>();
    const store = { load: (n: string) => stored.get(n) ?? null, save: (n: string, p: StoredPending) => void stored.set(n, p), clear: (n: string) => void stored.delete(n) };
    let signedOut = 0;
    const { server, s, run } = setup({ store, onSignedOut: () => signedOut++ });
    server.refuse = new SaveError('sign in', 'UNAUTHENTICATED');
    s.edit('Describe', [{ op: 'setDescription', value: 'kept' }]);
    await run();
    expect(s.getState().status).toBe('signedOut');
    expect(signedOut).toBe(1);
    s.close(); // the workspace goes away for the sign-in screen
    expect(stored.get('TODO')?.actions).toHaveLength(1);
    server.refuse = null;
    server.otherEdits([{ op: 'updateField', entity: 'Task', field: 'due', value: { required: true } }]);
    // Signed in again: a new session on the current version takes them in.
    const again = new ModelSession('TODO', server.current(), server, { store, setTimer: (fn) => setTimeout(fn, 0), clearTimer: () => undefined });
    expect(await again.adoptStored()).toBe(1);
    await new Promise((r) => setTimeout(r, 10));
    expect(server.doc.description).toBe('kept');
    expect(server.doc.entities[0]?.fields[2]?.required).toBe(true);
    expect(stored.size).toBe(0);
  });

  it('closing with unsaved actions still sends them', async () => {
    const { server, s, run } = setup();
    s.edit('Describe', [{ op: 'setDescription', value: 'sent after close' }], { coalesce: true });
    s.close();
    await run();
    expect(server.doc.description).toBe('sent after close');
  });
});
