// A builder's editing session on one model: the document as the builder
// sees it (the server's version plus unsaved edits), autosave with the base
// version, merging with other builders' changes, undo and redo
// (docs/decisions/0005). It knows nothing of React or GraphQL: a Transport
// carries its requests, and listeners hear every change of its state.

import { EditError, applyEdits, editPath, invertEdits } from './edits';
import { History, type Action } from './history';
import { overlapping } from './merge';
import { mergePatch } from './patch';
import { namedProblems, type Problems } from './problems';
import type { Change, Edit, JSONObject, ModelDoc } from './types';

export interface ServerModel {
  version: number;
  document: ModelDoc;
}

/** SaveError is a refused or failed write, as the transport reports it. */
export class SaveError extends Error {
  constructor(
    message: string,
    /** The GraphQL error code (CONFLICT, BAD_USER_INPUT, …); "" when the server was not reached. */
    readonly code: string,
    readonly fields: Record<string, string> = {},
    readonly conflict: { version: number; changes: Change[] } | null = null,
  ) {
    super(message);
  }
}

export interface Transport {
  edit(name: string, baseVersion: number, edits: Edit[]): Promise<ServerModel>;
  load(name: string): Promise<ServerModel>;
}

export type SaveStatus = 'saved' | 'unsaved' | 'saving' | 'conflict' | 'error' | 'offline';

interface Pending {
  id: number;
  label: string;
  edits: Edit[];
  /** Whether a later edit of the same member may fold into this one. */
  coalesce: boolean;
}

/** A pending action that another builder's changes overlap. */
export interface Clash {
  id: number;
  label: string;
  edits: Edit[];
  /** Their changes it overlaps. */
  changes: Change[];
  /** Whether it still applies on their version (else only theirs can be kept). */
  applies: boolean;
}

export interface ConflictState {
  theirs: ServerModel;
  clashes: Clash[];
}

/** Refusal is an action the server refused: it was taken back. */
export interface Refusal {
  label: string;
  message: string;
  code: string;
  fields: Record<string, string>;
  /** The fields' problems keyed by the names of the parts (problems.ts). */
  problems: Problems;
}

export interface SessionState {
  doc: ModelDoc;
  version: number;
  status: SaveStatus;
  conflict: ConflictState | null;
  refusal: Refusal | null;
  canUndo: boolean;
  canRedo: boolean;
  undoLabel: string | null;
  redoLabel: string | null;
}

export interface SessionOptions {
  /** Quiet time before unsaved edits are sent, in ms. */
  delay?: number;
  /** Time between attempts while the server cannot be reached, in ms (doubling up to 16×). */
  retry?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

interface HistoryAction extends Action {
  id: number;
}

export class ModelSession {
  private base: ServerModel;
  private doc: ModelDoc;
  private pending: Pending[] = [];
  private inflight: Pending | null = null;
  private theirsWhileSaving: { model: ServerModel; changes: Change[] } | null = null;
  private status: SaveStatus = 'saved';
  private conflict: ConflictState | null = null;
  private refusal: Refusal | null = null;
  private readonly history = new History();
  private nextID = 1;
  private timer: unknown = null;
  private failures = 0;
  private closed = false;
  private readonly listeners = new Set<() => void>();
  private snapshot: SessionState;
  private readonly delay: number;
  private readonly retry: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (t: unknown) => void;

  constructor(
    readonly name: string,
    initial: ServerModel,
    private readonly transport: Transport,
    opts: SessionOptions = {},
  ) {
    this.base = initial;
    this.doc = initial.document;
    this.delay = opts.delay ?? 400;
    this.retry = opts.retry ?? 1000;
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
    this.snapshot = this.makeSnapshot();
  }

  // --- what React reads ---

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getState = (): SessionState => this.snapshot;

  private makeSnapshot(): SessionState {
    return {
      doc: this.doc,
      version: this.base.version,
      status: this.status,
      conflict: this.conflict,
      refusal: this.refusal,
      canUndo: this.history.canUndo,
      canRedo: this.history.canRedo,
      undoLabel: this.history.undoLabel,
      redoLabel: this.history.redoLabel,
    };
  }

  private changed(): void {
    this.snapshot = this.makeSnapshot();
    for (const fn of this.listeners) fn();
  }

  // --- editing ---

  /**
   * edit applies an action at once and queues it for saving. It throws an
   * EditError, changing nothing, when the edits do not apply. With
   * coalesce, an update of the same members of the same part as the last
   * unsaved action folds into it (typing into one input is one action).
   */
  edit(label: string, edits: Edit[], opts: { coalesce?: boolean } = {}): void {
    if (edits.length === 0) return;
    const inverse = invertEdits(this.doc, edits);
    const next = applyEdits(this.doc, edits);
    const coalesce = opts.coalesce === true;
    const last = this.pending.at(-1);
    if (coalesce && last?.coalesce && sameMembers(last.edits, edits)) {
      const [a] = last.edits as [Edit];
      const [b] = edits as [Edit];
      last.edits = [{ ...a, value: mergePatch(a.value, b.value ?? {}) }];
      this.history.amend({ label, edits, inverse }, (h) => (h as HistoryAction).id === last.id);
    } else {
      const id = this.nextID++;
      this.pending.push({ id, label, edits, coalesce });
      const entry: HistoryAction = { id, label, edits, inverse };
      this.history.record(entry);
    }
    this.doc = next;
    this.refusal = null;
    if (this.status === 'saved' || this.status === 'error') this.status = 'unsaved';
    // Typing waits for a pause; anything else is sent at once, so that
    // other builders see it at once.
    this.schedule(coalesce ? this.delay : 0);
    this.changed();
  }

  /** undo takes the last action back, as a new action that is saved. */
  undo(): void {
    this.step(() => this.history.popUndo(), (a) => this.history.pushRedo(a), 'Undo');
  }

  redo(): void {
    this.step(() => this.history.popRedo(), (a) => this.history.pushUndo(a), 'Redo');
  }

  private step(pop: () => Action | undefined, push: (a: Action) => void, verb: string): void {
    const a = pop() as HistoryAction | undefined;
    if (!a) return;
    let next: ModelDoc;
    let inverse: Edit[];
    try {
      inverse = invertEdits(this.doc, a.inverse);
      next = applyEdits(this.doc, a.inverse);
    } catch (e) {
      if (!(e instanceof EditError)) throw e;
      this.refusal = { label: `${verb} ${a.label}`, message: `cannot ${verb.toLowerCase()} “${a.label}”: ${e.message} (the model changed since)`, code: 'BAD_USER_INPUT', fields: {}, problems: {} };
      this.changed();
      return;
    }
    const id = this.nextID++;
    this.pending.push({ id, label: `${verb} ${a.label}`, edits: a.inverse, coalesce: false });
    const entry: HistoryAction = { id, label: a.label, edits: a.inverse, inverse };
    push(entry);
    this.doc = next;
    this.refusal = null;
    if (this.status === 'saved' || this.status === 'error') this.status = 'unsaved';
    this.schedule(0);
    this.changed();
  }

  /** flush sends unsaved edits now instead of after the quiet time. */
  flush(): void {
    this.schedule(0);
  }

  dismissRefusal(): void {
    this.refusal = null;
    if (this.status === 'error') this.status = this.pending.length ? 'unsaved' : 'saved';
    this.changed();
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.listeners.clear();
  }

  /** hasUnsaved reports whether edits are waiting to be saved. */
  get hasUnsaved(): boolean {
    return this.pending.length > 0;
  }

  // --- other builders ---

  /**
   * remote takes a version saved by someone else (a modelChanged event) with
   * the changes since the previous one: unsaved edits are kept on top of it
   * when they do not overlap; otherwise the builder chooses.
   */
  remote(model: ServerModel, changes: Change[]): void {
    if (this.closed || model.version <= this.base.version) return;
    if (this.inflight) {
      const prev = this.theirsWhileSaving;
      this.theirsWhileSaving = { model, changes: [...(prev?.changes ?? []), ...changes] };
      return;
    }
    this.takeTheirs(model, changes);
  }

  /** takeTheirs moves the base to their version, keeping unsaved edits when it can. */
  private takeTheirs(theirs: ServerModel, changes: Change[]): void {
    const clashes: Clash[] = [];
    let doc = theirs.document;
    for (const p of this.pending) {
      const over = overlapping(p.edits, changes);
      let applies = true;
      try {
        doc = applyEdits(doc, p.edits);
      } catch (e) {
        if (!(e instanceof EditError)) throw e;
        applies = false;
      }
      if (over.length > 0 || !applies) clashes.push({ id: p.id, label: p.label, edits: p.edits, changes: over, applies });
    }
    if (clashes.length === 0) {
      this.base = theirs;
      this.doc = doc;
      this.conflict = null;
      if (this.status === 'conflict') this.status = this.pending.length ? 'unsaved' : 'saved';
      this.changed();
      if (this.pending.length) this.schedule(0);
      return;
    }
    this.conflict = { theirs, clashes };
    this.status = 'conflict';
    this.changed();
  }

  /**
   * resolve ends a conflict: for each clash, keep "mine" (sent again on
   * their version) or take "theirs" (the unsaved action is dropped).
   */
  resolve(choices: Record<number, 'mine' | 'theirs'>): void {
    const c = this.conflict;
    if (!c) return;
    const drop = new Set(c.clashes.filter((k) => choices[k.id] !== 'mine' || !k.applies).map((k) => k.id));
    this.pending = this.pending.filter((p) => !drop.has(p.id));
    this.base = c.theirs;
    this.doc = this.rebase(c.theirs.document);
    this.conflict = null;
    this.status = this.pending.length ? 'unsaved' : 'saved';
    this.changed();
    if (this.pending.length) this.schedule(0);
  }

  // --- saving ---

  private schedule(ms: number): void {
    if (this.closed) return;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.pump();
    }, ms);
  }

  private async pump(): Promise<void> {
    if (this.closed || this.inflight || this.conflict) return;
    const p = this.pending[0];
    if (!p) return;
    this.inflight = p;
    p.coalesce = false; // sent: later typing is a new action
    this.status = 'saving';
    this.changed();
    try {
      const saved = await this.transport.edit(this.name, this.base.version, p.edits);
      if (this.closed) return;
      this.failures = 0;
      this.inflight = null;
      this.pending.shift();
      this.base = saved;
      const theirs = this.theirsWhileSaving;
      this.theirsWhileSaving = null;
      if (theirs && theirs.model.version > saved.version) {
        this.takeTheirs(theirs.model, theirs.changes);
        return;
      }
      this.doc = this.rebase(saved.document);
      this.status = this.pending.length ? 'unsaved' : 'saved';
      this.changed();
      if (this.pending.length) this.schedule(0);
    } catch (e) {
      if (this.closed) return;
      this.inflight = null;
      this.theirsWhileSaving = null;
      await this.failed(p, e);
    }
  }

  private async failed(p: Pending, e: unknown): Promise<void> {
    const err = e instanceof SaveError ? e : new SaveError(e instanceof Error ? e.message : String(e), '');
    if (err.code === 'CONFLICT' && err.conflict) {
      try {
        const theirs = await this.transport.load(this.name);
        if (this.closed) return;
        this.takeTheirs(theirs, err.conflict.changes);
      } catch (loadErr) {
        this.offline(loadErr);
      }
      return;
    }
    if (err.code === '' || err.code === 'THROTTLED' || err.code === 'TIMEOUT' || err.code === 'INTERNAL') {
      this.offline(err);
      return;
    }
    // Refused: take the action back and say why.
    this.pending = this.pending.filter((x) => x.id !== p.id);
    this.history.drop((a) => (a as HistoryAction).id === p.id);
    this.doc = this.rebase(this.base.document);
    let attempted = this.base.document;
    try {
      attempted = applyEdits(attempted, p.edits);
    } catch (ae) {
      if (!(ae instanceof EditError)) throw ae;
    }
    const problems = namedProblems(attempted, p.edits, err.fields);
    this.refusal = { label: p.label, message: err.message, code: err.code, fields: err.fields, problems };
    this.status = 'error';
    this.changed();
    if (this.pending.length) this.schedule(0);
  }

  private offline(_err: unknown): void {
    this.failures++;
    this.status = 'offline';
    this.changed();
    this.schedule(this.retry * Math.min(16, 2 ** (this.failures - 1)));
  }

  /** rebase applies the unsaved actions on doc, dropping those that no longer apply. */
  private rebase(doc: ModelDoc): ModelDoc {
    const kept: Pending[] = [];
    for (const p of this.pending) {
      try {
        doc = applyEdits(doc, p.edits);
        kept.push(p);
      } catch (e) {
        if (!(e instanceof EditError)) throw e;
      }
    }
    this.pending = kept;
    return doc;
  }
}

/** sameMembers reports whether two one-edit actions update the same members of the same part. */
function sameMembers(a: Edit[], b: Edit[]): boolean {
  if (a.length !== 1 || b.length !== 1) return false;
  const [x, y] = [a[0] as Edit, b[0] as Edit];
  if (x.op !== y.op || !x.op.startsWith('update') || editPath(x) !== editPath(y)) return false;
  const kx = Object.keys((x.value ?? {}) as JSONObject).sort();
  const ky = Object.keys((y.value ?? {}) as JSONObject).sort();
  return kx.length === ky.length && kx.every((k, i) => k === ky[i] && k !== 'name' && k !== 'id');
}
