import { describe, expect, it } from 'vitest';
import { FakeServer } from './fakeserver';
import { todo } from './fixtures';
import { ModelSession, SaveError } from './session';

// A session with a fake server (testserver.ts) and a manual clock.
function setup() {
  const server = new FakeServer(todo());
  const timers: (() => void)[] = [];
  const s = new ModelSession('TODO', server.current(), server, {
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
