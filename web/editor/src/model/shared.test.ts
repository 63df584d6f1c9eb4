// The edit cases the server's ApplyEdits is tested against too
// (testdata/model_edits.json at the repository's root, whose expected
// documents the Go test writes): the editor must make the same document,
// name the same part, and undo back to the base.

import { describe, expect, it } from 'vitest';
import data from '../../../../testdata/model_edits.json';
import { applyEdits, editPaths, invertEdits } from './edits';
import type { Edit, ModelDoc } from './types';

interface Shared {
  base: ModelDoc;
  cases: { name: string; edits: Edit[]; path: string; after: ModelDoc }[];
}

const shared = data as unknown as Shared;

describe('the shared edit cases', () => {
  it('are there', () => {
    expect(shared.cases.length).toBeGreaterThan(20);
  });
  for (const c of shared.cases) {
    it(c.name, () => {
      const after = applyEdits(shared.base, c.edits);
      expect(after).toEqual(c.after);
      expect(c.edits.flatMap(editPaths)).toContain(c.path);
      expect(applyEdits(after, invertEdits(shared.base, c.edits))).toEqual(shared.base);
    });
  }
});
