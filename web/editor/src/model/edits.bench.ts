// What one editing action costs the editor on a large model (100 entity
// types of 30 fields, 20 pages): applying it, inverting it for undo, and
// the session's whole edit (both, plus the no-change check). Run:
// npx vitest bench --run --root editor (in web/).

import { bench, describe } from 'vitest';
import { applyEdits, invertEdits } from './edits';
import { ModelSession, type Transport } from './session';
import type { Edit, Entity, ModelDoc, Page } from './types';

function largeModel(): ModelDoc {
  const entities: Entity[] = [];
  for (let i = 0; i < 100; i++) {
    entities.push({
      name: `Entity${i}`,
      displayName: `Entity ${i}`,
      fields: Array.from({ length: 30 }, (_, j) => ({ name: `field${j}`, type: j % 3 === 0 ? 'integer' : 'string', maxLength: 200 })),
    });
  }
  const pages: Page[] = Array.from({ length: 20 }, (_, i): Page => ({
    name: `Page${i}`,
    route: `/page-${i}`,
    components: [
      { id: 'grid', type: 'DataGrid', position: { row: 0, col: 0, span: 12 }, props: { entity: `Entity${i}` } },
      { id: 'modal', type: 'Modal', props: { title: 'New' }, children: [{ id: 'form', type: 'Form', props: { entity: `Entity${i}` } }] },
    ],
  }));
  return { name: 'Large', entities, relationships: [], pages, xflows: [] };
}

const doc = largeModel();
const edit: Edit[] = [{ op: 'updateField', entity: 'Entity50', field: 'field7', value: { maxLength: 120 } }];
const never = new Promise<never>(() => undefined);
const idle: Transport = { edit: () => never, load: () => never, changes: () => never };

describe('one action on a model of 100 entity types × 30 fields', () => {
  bench('applyEdits', () => {
    applyEdits(doc, edit);
  });
  bench('invertEdits', () => {
    invertEdits(doc, edit);
  });
  let n = 0;
  const session = new ModelSession('Large', { version: 1, document: doc }, idle, { setTimer: () => 0, clearTimer: () => undefined });
  bench('ModelSession.edit (typing into one input)', () => {
    session.edit('Set max length', [{ op: 'updateField', entity: 'Entity50', field: 'field7', value: { maxLength: 100 + (n++ % 50) } }], { coalesce: true });
  });
});
