// A builder's editing session on one model: the document as the builder
// sees it (the server's version plus unsaved edits), autosave with the base
// version, merging with other builders' changes, undo and redo
// (docs/decisions/0005). It knows nothing of React or GraphQL: a Transport
// carries its requests, and listeners hear every change of its state.
//
// The base is the newest server version the session has taken in; the
// builder sees the base with the unsaved actions applied. Another builder's
// version is taken in with the complete list of changes since the base
// (asked of the server when an event does not carry it), so an unsaved
// action that touches the same thing is never sent over it unasked.

import { EditError, applyEdits, editPath, invertEdits } from './edits';
import { History, type Action } from './history';
import { overlapping } from './merge';
import { composePatch, equal } from './patch';
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
  /** changes lists what changed from version from to version to. */
  changes(name: string, from: number, to: number): Promise<Change[]>;
}

/** Keeps unsaved actions across a reload or a new sign-in (sessionStorage in the browser). */
export interface PendingStore {
  load(name: string): StoredPending | null;
  save(name: string, p: StoredPending): void;
  clear(name: string): void;
}

export interface StoredPending {
  baseVersion: number;
  actions: { label: string; edits: Edit[] }[];
}

export type SaveStatus = 'saved' | 'unsaved' | 'saving' | 'conflict' | 'error' | 'offline' | 'signedOut';

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

/** Refusal is an action the server refused, or that no longer applies: it was taken back. */
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
  /** Quiet time before typing is sent, in ms (other actions are sent at once). */
  delay?: number;
  /** Time between attempts while the server cannot be reached, in ms (doubling up to 16×). */
  retry?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
  store?: PendingStore;
  /** Called when a save finds the sign-in gone; the actions are kept. */
  onSignedOut?: () => void;
}

interface HistoryAction extends Action {
  id: number;
}

/** The most edits one save sends (the server takes at most 1000). */
const maxEditsPerSave = 1000;

/** Codes of failures that say nothing of the edits: try again later. */
const transient = new Set(['', 'THROTTLED', 'TIMEOUT', 'INTERNAL']);

export class ModelSession {
  private base: ServerModel;
  private doc: ModelDoc;
  private pending: Pending[] = [];
  /** The actions of the save on its way (the first ones of pending). */
  private inflight = 0;
  /** Set after a refusal that named no action: send one action at a time until the queue empties. */
  private oneByOne = false;
  /** Versions of others that arrived while a save or a catch-up was on its way. */
  private arrivals: { model: ServerModel; changes: Change[] | null }[] = [];
  /** A catch-up (reading what changed since the base) is on its way. */
  private catchingUp = false;
  private status: SaveStatus = 'saved';
  /** The open conflict, with every change since the base (null: not known). */
  private conflict: (ConflictState & { changes: Change[] | null }) | null = null;
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
  private readonly store: PendingStore | undefined;
  private readonly onSignedOut: (() => void) | undefined;

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
    this.store = opts.store;
    this.onSignedOut = opts.onSignedOut;
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
      conflict: this.conflict ? { theirs: this.conflict.theirs, clashes: this.conflict.clashes } : null,
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

  /** hasUnsaved reports whether edits are waiting to be saved. */
  get hasUnsaved(): boolean {
    return this.pending.length > 0;
  }

  // --- editing ---

  /**
   * edit applies an action at once and queues it for saving. It throws an
   * EditError, changing nothing, when the edits do not apply; an action
   * that changes nothing is dropped. With coalesce, an update of the same
   * members of the same part as the last unsaved action folds into it
   * (typing into one input is one action), and it is sent after a pause.
   */
  edit(label: string, edits: Edit[], opts: { coalesce?: boolean } = {}): void {
    if (edits.length === 0) return;
    const inverse = invertEdits(this.doc, edits);
    const next = applyEdits(this.doc, edits);
    if (equal(next, this.doc)) return;
    const coalesce = opts.coalesce === true;
    const last = this.pending.at(-1);
    if (coalesce && last?.coalesce && this.pending.length > this.inflight && sameMembers(last.edits, edits)) {
      const [a] = last.edits as [Edit];
      const [b] = edits as [Edit];
      last.edits = [{ ...a, value: composePatch(a.value, b.value ?? {}) }];
      this.history.amend({ label, edits, inverse }, (h) => (h as HistoryAction).id === last.id);
    } else {
      const id = this.nextID++;
      this.pending.push({ id, label, edits, coalesce });
      const entry: HistoryAction = { id, label, edits, inverse };
      this.history.record(entry);
    }
    this.doc = next;
    this.refusal = null;
    this.unsaved();
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
      this.refusal = notice(`${verb} ${a.label}`, `cannot ${verb.toLowerCase()} “${a.label}”: ${e.message} (the model changed since)`);
      this.changed();
      return;
    }
    const id = this.nextID++;
    this.pending.push({ id, label: `${verb} ${a.label}`, edits: a.inverse, coalesce: false });
    const entry: HistoryAction = { id, label: a.label, edits: a.inverse, inverse };
    push(entry);
    this.doc = next;
    this.refusal = null;
    this.unsaved();
    this.schedule(0);
    this.changed();
  }

  private unsaved(): void {
    if (this.status === 'saved' || this.status === 'error') this.status = 'unsaved';
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

  // --- lifetime ---

  /**
   * close ends the session for its view. Unsaved actions are kept in the
   * store and still sent; once they are saved the store forgets them.
   */
  close(): void {
    this.closed = true;
    this.persist();
    if (this.pending.length && !this.conflict) this.schedule(0);
  }

  /** open makes a closed session live again (a view mounted anew). */
  open(): void {
    this.closed = false;
    this.store?.clear(this.name);
    this.persist();
  }

  /** persist keeps the unsaved actions in the store (or forgets them when there are none). */
  persist(): void {
    if (!this.store) return;
    if (this.pending.length === 0) {
      this.store.clear(this.name);
      return;
    }
    this.store.save(this.name, { baseVersion: this.base.version, actions: this.pending.map((p) => ({ label: p.label, edits: p.edits })) });
  }

  /**
   * adoptStored takes in the actions an earlier session on this model kept
   * (closed before they were saved): they are merged with what changed
   * since, as unsaved actions of this session. It returns how many there were.
   */
  async adoptStored(): Promise<number> {
    const stored = this.store?.load(this.name);
    if (!stored || stored.actions.length === 0) return 0;
    this.store?.clear(this.name);
    for (const a of stored.actions) this.pending.push({ id: this.nextID++, label: a.label, edits: a.edits, coalesce: false });
    this.status = 'unsaved';
    const current = this.base;
    // Seen from the stored base, the current version is someone else's.
    this.base = { version: stored.baseVersion, document: current.document };
    try {
      const changes = stored.baseVersion === current.version ? [] : await this.transport.changes(this.name, stored.baseVersion, current.version);
      this.takeTheirs(current, changes);
    } catch {
      this.takeTheirs(current, null);
    }
    return stored.actions.length;
  }

  // --- other builders ---

  /**
   * remote takes a version saved by someone else (a modelChanged event)
   * with the changes from the version before it, or null when they are not
   * known (the event left them out, or events were missed). The echo of
   * this session's own saves is ignored.
   */
  remote(model: ServerModel, changes: Change[] | null): void {
    if (model.version <= this.base.version) return;
    if (this.inflight > 0 || this.catchingUp) {
      this.arrivals.push({ model, changes });
      return;
    }
    void this.catchUp(model, changes);
  }

  /**
   * catchUp takes in their version, reading the changes since the base from
   * the server unless changes covers exactly the one step from the base.
   */
  private async catchUp(theirs: ServerModel, changes: Change[] | null): Promise<void> {
    const from = this.conflict ? this.conflict.theirs.version : this.base.version;
    if (theirs.version <= from) return;
    let list = changes !== null && theirs.version === from + 1 ? changes : null;
    if (list === null) {
      this.catchingUp = true;
      try {
        list = await this.transport.changes(this.name, from, theirs.version);
      } catch {
        list = null; // unknown: every unsaved action is treated as overlapping
      } finally {
        this.catchingUp = false;
      }
    }
    this.takeTheirs(theirs, list);
    this.drainArrivals();
  }

  /** drainArrivals takes in the newest version that arrived meanwhile, if it is newer. */
  private drainArrivals(): void {
    if (this.inflight > 0 || this.catchingUp || this.arrivals.length === 0) return;
    const known = this.conflict ? this.conflict.theirs.version : this.base.version;
    const newer = this.arrivals.filter((a) => a.model.version > known);
    this.arrivals = [];
    const latest = newer.at(-1);
    if (!latest) return;
    // One step carries its own changes; several steps are read as one.
    void this.catchUp(latest.model, newer.length === 1 ? latest.changes : null);
  }

  /**
   * takeTheirs moves towards their version: unsaved actions are kept on top
   * of it when they touch nothing that changed since the base (changes null:
   * unknown, so every action counts as touching); otherwise the builder
   * chooses (conflict). While a conflict is open, their later versions add
   * to it.
   */
  private takeTheirs(theirs: ServerModel, changes: Change[] | null): void {
    const before = this.conflict ? this.conflict.changes : [];
    const since = before === null || changes === null ? null : [...before, ...changes];
    const clashes: Clash[] = [];
    let doc = theirs.document;
    for (const p of this.pending) {
      const over = since === null ? [] : overlapping(p.edits, since);
      let applies = true;
      try {
        doc = applyEdits(doc, p.edits);
      } catch (e) {
        if (!(e instanceof EditError)) throw e;
        applies = false;
      }
      if (since === null || over.length > 0 || !applies) clashes.push({ id: p.id, label: p.label, edits: p.edits, changes: over, applies });
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
    this.conflict = { theirs, clashes, changes: since };
    this.status = 'conflict';
    this.changed();
  }

  /**
   * resolve ends a conflict: for each clash, keep "mine" (sent again on
   * their version) or take "theirs" (the unsaved action is dropped, and
   * leaves the undo history, whose inverse would now undo their work).
   */
  resolve(choices: Record<number, 'mine' | 'theirs'>): void {
    const c = this.conflict;
    if (!c) return;
    const drop = new Set(c.clashes.filter((k) => choices[k.id] !== 'mine' || !k.applies).map((k) => k.id));
    this.forget((p) => drop.has(p.id));
    this.base = c.theirs;
    this.conflict = null;
    this.doc = this.rebase(c.theirs.document);
    this.status = this.pending.length ? 'unsaved' : 'saved';
    this.changed();
    if (this.pending.length) this.schedule(0);
    this.drainArrivals();
  }

  // --- saving ---

  private schedule(ms: number): void {
    if (this.closed && this.pending.length === 0) return;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.pump();
    }, ms);
  }

  /** pump sends the unsaved actions (at most maxEditsPerSave edits) in one editModel. */
  private async pump(): Promise<void> {
    if (this.inflight > 0 || this.conflict || this.catchingUp || this.pending.length === 0) return;
    const batch: Pending[] = [];
    let count = 0;
    for (const p of this.pending) {
      if (batch.length > 0 && (this.oneByOne || count + p.edits.length > maxEditsPerSave)) break;
      batch.push(p);
      count += p.edits.length;
      p.coalesce = false; // sent: later typing is a new action
    }
    const edits = batch.flatMap((p) => p.edits);
    this.inflight = batch.length;
    this.status = 'saving';
    this.changed();
    let saved: ServerModel;
    try {
      saved = await this.transport.edit(this.name, this.base.version, edits);
    } catch (e) {
      this.inflight = 0;
      await this.failed(batch, e);
      return;
    }
    this.failures = 0;
    this.inflight = 0;
    this.pending.splice(0, batch.length);
    if (this.pending.length === 0) this.oneByOne = false;
    this.base = saved;
    this.doc = this.rebase(saved.document);
    this.status = this.pending.length ? 'unsaved' : 'saved';
    if (this.closed) this.persist();
    this.changed();
    if (this.pending.length) this.schedule(0);
    this.drainArrivals();
  }

  private async failed(batch: Pending[], e: unknown): Promise<void> {
    const err = e instanceof SaveError ? e : new SaveError(e instanceof Error ? e.message : String(e), '');
    if (err.code === 'CONFLICT') {
      this.catchingUp = true;
      let theirs: ServerModel;
      let changes: Change[] | null;
      try {
        theirs = await this.transport.load(this.name);
        if (err.conflict && theirs.version === err.conflict.version) changes = err.conflict.changes;
        else changes = await this.transport.changes(this.name, this.base.version, theirs.version).catch(() => null);
      } catch (loadErr) {
        this.catchingUp = false;
        this.offline(loadErr);
        return;
      }
      this.catchingUp = false;
      this.arrivals = this.arrivals.filter((a) => a.model.version > theirs.version);
      this.takeTheirs(theirs, changes);
      this.drainArrivals();
      return;
    }
    if (err.code === 'UNAUTHENTICATED') {
      this.status = 'signedOut';
      this.persist();
      this.changed();
      this.onSignedOut?.();
      return;
    }
    if (transient.has(err.code)) {
      this.offline(err);
      return;
    }
    // Refused: take back the action the server names, or, when it names
    // none, the only one sent; with several and none named, send them one
    // at a time to find it.
    const edits = batch.flatMap((p) => p.edits);
    const named = refusedAction(batch, err.fields);
    const refused = named ?? (batch.length === 1 ? batch[0] : undefined);
    if (!refused) {
      this.oneByOne = true;
      this.schedule(0);
      return;
    }
    let attempted = this.base.document;
    try {
      attempted = applyEdits(attempted, edits);
    } catch (ae) {
      if (!(ae instanceof EditError)) throw ae;
    }
    this.forget((p) => p.id === refused.id);
    this.doc = this.rebase(this.base.document);
    this.refusal = { label: refused.label, message: err.message, code: err.code, fields: err.fields, problems: namedProblems(attempted, edits, err.fields) };
    this.status = 'error';
    if (this.closed) this.persist();
    this.changed();
    if (this.pending.length) this.schedule(0);
    this.drainArrivals();
  }

  private offline(_err: unknown): void {
    this.failures++;
    this.status = 'offline';
    this.changed();
    this.schedule(this.retry * Math.min(16, 2 ** (this.failures - 1)));
  }

  /** forget drops the pending actions that match, and their undo entries. */
  private forget(match: (p: Pending) => boolean): void {
    for (const p of this.pending.filter(match)) this.history.drop((a) => (a as HistoryAction).id === p.id);
    this.pending = this.pending.filter((p) => !match(p));
  }

  /**
   * rebase applies the unsaved actions on doc. Those that no longer apply
   * (they depended on one that was refused or dropped) are dropped too, and
   * the builder is told.
   */
  private rebase(doc: ModelDoc): ModelDoc {
    const lost: Pending[] = [];
    for (const p of this.pending) {
      try {
        doc = applyEdits(doc, p.edits);
      } catch (e) {
        if (!(e instanceof EditError)) throw e;
        lost.push(p);
      }
    }
    if (lost.length) {
      this.forget((p) => lost.includes(p));
      this.refusal = notice(lost.map((p) => p.label).join(', '), `no longer applies to the model as it is now, so it was not kept: ${lost.map((p) => `“${p.label}”`).join(', ')}`);
    }
    return doc;
  }
}

function notice(label: string, message: string): Refusal {
  return { label, message, code: 'BAD_USER_INPUT', fields: {}, problems: {} };
}

/** refusedAction finds the action whose edit the server's fields name (edits[i]…). */
function refusedAction(batch: Pending[], fields: Record<string, string>): Pending | undefined {
  for (const path of Object.keys(fields)) {
    const m = /^edits\[(\d+)\]/.exec(path);
    if (!m) continue;
    let i = Number(m[1]);
    for (const p of batch) {
      if (i < p.edits.length) return p;
      i -= p.edits.length;
    }
  }
  return undefined;
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
