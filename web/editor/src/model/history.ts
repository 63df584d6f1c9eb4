// Undo and redo: each editing action is kept with the edits that undo it,
// computed from the document it was made on.

import type { Edit } from './types';

export interface Action {
  /** What the builder did, in words: "Add field title". */
  label: string;
  edits: Edit[];
  /** The edits that undo edits, on the document right after them. */
  inverse: Edit[];
}

/** History holds the undo and redo stacks, each at most limit deep. */
export class History {
  private undos: Action[] = [];
  private redos: Action[] = [];

  constructor(private readonly limit = 200) {}

  get canUndo(): boolean {
    return this.undos.length > 0;
  }

  get canRedo(): boolean {
    return this.redos.length > 0;
  }

  /** The label of the action undo would undo. */
  get undoLabel(): string | null {
    return this.undos.at(-1)?.label ?? null;
  }

  get redoLabel(): string | null {
    return this.redos.at(-1)?.label ?? null;
  }

  /** record keeps a new action; it ends what could be redone. */
  record(a: Action): void {
    this.undos.push(a);
    if (this.undos.length > this.limit) this.undos.shift();
    this.redos = [];
  }

  /**
   * amend folds a into the last action when both are updates of the same
   * member of the same part (typing into one input), so that one undo takes
   * the whole of it back. It reports whether it did.
   */
  amend(a: Action, same: (last: Action) => boolean): boolean {
    const last = this.undos.at(-1);
    if (!last || !same(last)) return false;
    this.undos[this.undos.length - 1] = { ...last, edits: [...last.edits, ...a.edits], inverse: [...a.inverse, ...last.inverse] };
    this.redos = [];
    return true;
  }

  /** popUndo takes the last action off the undo stack. */
  popUndo(): Action | undefined {
    return this.undos.pop();
  }

  popRedo(): Action | undefined {
    return this.redos.pop();
  }

  /** pushRedo keeps what undoing an action did, so that redo can do it again. */
  pushRedo(a: Action): void {
    this.redos.push(a);
    if (this.redos.length > this.limit) this.redos.shift();
  }

  /** pushUndo keeps a redone action without ending the redo stack. */
  pushUndo(a: Action): void {
    this.undos.push(a);
    if (this.undos.length > this.limit) this.undos.shift();
  }

  /** drop removes the newest undo entry that matches, if any (an action the server refused). */
  drop(match: (a: Action) => boolean): void {
    for (let i = this.undos.length - 1; i >= 0; i--) {
      if (match(this.undos[i] as Action)) {
        this.undos.splice(i, 1);
        return;
      }
    }
  }

  clear(): void {
    this.undos = [];
    this.redos = [];
  }
}
