// The edits of editModel, applied to the editor's copy of a model with the
// server's semantics (ApplyEdits in model_edit.go), inverted for undo, and
// addressed by the paths of the server's Changes for merging.

import { clone, inversePatch, isObject, mergePatch } from './patch';
import type { Edit, Entity, Field, JSONObject, JSONValue, ModelDoc, Page, PageComponent, Relationship } from './types';

/** EditError says why an edit does not apply to a document. */
export class EditError extends Error {}

/** applyEdits returns doc with edits applied in order; doc is not changed. */
export function applyEdits(doc: ModelDoc, edits: readonly Edit[]): ModelDoc {
  const out = clone(doc);
  for (const e of edits) applyInPlace(out, e);
  return out;
}

function fail(msg: string): never {
  throw new EditError(msg);
}

function at<T>(list: T[], i: number, what: string, name: string): T {
  const v = list[i];
  if (v === undefined) fail(`no ${what} "${name}"`);
  return v;
}

function indexOfName(list: { name: string }[], name: string | undefined, what: string): number {
  const i = list.findIndex((x) => x.name === name);
  if (i < 0) fail(`no ${what} "${name ?? ''}"`);
  return i;
}

function insertAt<T>(list: T[], item: T, index: number | undefined): void {
  if (index === undefined) list.push(item);
  else if (index < 0 || index > list.length) fail(`index ${index} is out of range`);
  else list.splice(index, 0, item);
}

function nameOf(v: JSONValue | undefined, key = 'name'): string {
  if (!isObject(v) || typeof v[key] !== 'string' || v[key] === '') fail(`the part needs a ${key}`);
  return v[key];
}

function reorder<T>(list: T[], order: string[] | undefined, key: (t: T) => string, what: string): T[] {
  const names = list.map(key);
  if (!order || order.length !== names.length || new Set(order).size !== order.length || !order.every((n) => names.includes(n))) {
    fail(`the order must name every ${what} once`);
  }
  return order.map((n) => list[names.indexOf(n)] as T);
}

/** patchNamed applies patch to a part, keeping what has edits of its own. */
function patchNamed<T extends { name: string }>(list: T[], i: number, patch: JSONValue | undefined, keep: string, what: string): void {
  if (!isObject(patch)) fail('the patch must be an object');
  if (keep in patch) fail(`"${keep}" has edits of its own`);
  const part = at(list, i, what, '');
  const next = mergePatch(part, patch) as unknown as T;
  if (typeof next.name !== 'string' || next.name === '') fail('the name is required');
  if (next.name !== part.name && list.some((x) => x.name === next.name)) fail(`${what} "${next.name}" already exists`);
  list[i] = next;
}

interface ComponentSlot {
  list: PageComponent[];
  index: number;
}

function walk(list: PageComponent[], visit: (c: PageComponent, list: PageComponent[], i: number) => boolean): boolean {
  for (let i = 0; i < list.length; i++) {
    const c = list[i] as PageComponent;
    if (visit(c, list, i)) return true;
    if (c.children && walk(c.children, visit)) return true;
  }
  return false;
}

function findComponent(page: Page, id: string | undefined): ComponentSlot {
  let found: ComponentSlot | null = null;
  walk(page.components ?? [], (c, list, index) => {
    if (c.id !== id) return false;
    found = { list, index };
    return true;
  });
  if (!found) fail(`no component "${id ?? ''}" in page "${page.name}"`);
  return found;
}

function componentIDs(page: Page): Set<string> {
  const ids = new Set<string>();
  walk(page.components ?? [], (c) => {
    ids.add(c.id);
    return false;
  });
  return ids;
}

/** childList is the list addComponent and reorderComponents work on. */
function childList(page: Page, parent: string | undefined): PageComponent[] {
  if (parent === undefined) return (page.components ??= []);
  const slot = findComponent(page, parent);
  const c = slot.list[slot.index] as PageComponent;
  return (c.children ??= []);
}

function applyInPlace(doc: ModelDoc, e: Edit): void {
  switch (e.op) {
    case 'setDescription':
      if (typeof e.value !== 'string') fail('the description must be a string');
      doc.description = e.value;
      return;
    case 'addEntity': {
      const name = nameOf(e.value);
      if (doc.entities.some((x) => x.name === name)) fail(`entity "${name}" already exists`);
      const ent = clone(e.value) as unknown as Entity;
      ent.fields ??= [];
      insertAt(doc.entities, ent, e.index);
      return;
    }
    case 'updateEntity': {
      const i = indexOfName(doc.entities, e.entity, 'entity');
      const old = (doc.entities[i] as Entity).name;
      patchNamed(doc.entities, i, e.value, 'fields', 'entity');
      const now = (doc.entities[i] as Entity).name;
      if (now !== old) {
        for (const r of doc.relationships) {
          if (r.from === old) r.from = now;
          if (r.to === old) r.to = now;
        }
      }
      return;
    }
    case 'removeEntity': {
      const i = indexOfName(doc.entities, e.entity, 'entity');
      doc.entities.splice(i, 1);
      doc.relationships = doc.relationships.filter((r) => r.from !== e.entity && r.to !== e.entity);
      return;
    }
    case 'reorderEntities':
      doc.entities = reorder(doc.entities, e.order, (x) => x.name, 'entity');
      return;
    case 'addField': {
      const ent = at(doc.entities, indexOfName(doc.entities, e.entity, 'entity'), 'entity', '');
      const name = nameOf(e.value);
      if (ent.fields.some((f) => f.name === name)) fail(`field "${name}" already exists in "${ent.name}"`);
      insertAt(ent.fields, clone(e.value) as unknown as Field, e.index);
      return;
    }
    case 'updateField': {
      const ent = at(doc.entities, indexOfName(doc.entities, e.entity, 'entity'), 'entity', '');
      patchNamed(ent.fields, indexOfName(ent.fields, e.field, 'field'), e.value, '\u0000', 'field');
      return;
    }
    case 'removeField': {
      const ent = at(doc.entities, indexOfName(doc.entities, e.entity, 'entity'), 'entity', '');
      ent.fields.splice(indexOfName(ent.fields, e.field, 'field'), 1);
      return;
    }
    case 'reorderFields': {
      const ent = at(doc.entities, indexOfName(doc.entities, e.entity, 'entity'), 'entity', '');
      ent.fields = reorder(ent.fields, e.order, (x) => x.name, 'field');
      return;
    }
    case 'addRelationship': {
      const name = nameOf(e.value);
      if (doc.relationships.some((x) => x.name === name)) fail(`relationship "${name}" already exists`);
      insertAt(doc.relationships, clone(e.value) as unknown as Relationship, e.index);
      return;
    }
    case 'updateRelationship':
      patchNamed(doc.relationships, indexOfName(doc.relationships, e.relationship, 'relationship'), e.value, '\u0000', 'relationship');
      return;
    case 'removeRelationship':
      doc.relationships.splice(indexOfName(doc.relationships, e.relationship, 'relationship'), 1);
      return;
    case 'addPage': {
      const name = nameOf(e.value);
      if (doc.pages.some((x) => x.name === name)) fail(`page "${name}" already exists`);
      insertAt(doc.pages, clone(e.value) as unknown as Page, e.index);
      return;
    }
    case 'updatePage':
      patchNamed(doc.pages, indexOfName(doc.pages, e.page, 'page'), e.value, 'components', 'page');
      return;
    case 'removePage':
      doc.pages.splice(indexOfName(doc.pages, e.page, 'page'), 1);
      return;
    case 'reorderPages':
      doc.pages = reorder(doc.pages, e.order, (x) => x.name, 'page');
      return;
    case 'addComponent': {
      const page = at(doc.pages, indexOfName(doc.pages, e.page, 'page'), 'page', '');
      const id = nameOf(e.value, 'id');
      if (componentIDs(page).has(id)) fail(`component id "${id}" is already used in page "${page.name}"`);
      insertAt(childList(page, e.parent), clone(e.value) as unknown as PageComponent, e.index);
      return;
    }
    case 'updateComponent': {
      const page = at(doc.pages, indexOfName(doc.pages, e.page, 'page'), 'page', '');
      const slot = findComponent(page, e.component);
      if (!isObject(e.value)) fail('the patch must be an object');
      if ('children' in e.value) fail('"children" has edits of its own');
      const next = mergePatch(slot.list[slot.index] as unknown as JSONObject, e.value) as unknown as PageComponent;
      if (next.id !== e.component && componentIDs(page).has(next.id)) {
        fail(`component id "${next.id}" is already used in page "${page.name}"`);
      }
      slot.list[slot.index] = next;
      return;
    }
    case 'removeComponent': {
      const page = at(doc.pages, indexOfName(doc.pages, e.page, 'page'), 'page', '');
      const slot = findComponent(page, e.component);
      slot.list.splice(slot.index, 1);
      return;
    }
    case 'reorderComponents': {
      const page = at(doc.pages, indexOfName(doc.pages, e.page, 'page'), 'page', '');
      const list = childList(page, e.parent);
      const next = reorder(list, e.order, (c) => c.id, 'component');
      list.splice(0, list.length, ...next);
      return;
    }
    case 'addFlow': {
      const name = nameOf(e.value);
      if (doc.xflows.some((x) => x.name === name)) fail(`flow "${name}" already exists`);
      insertAt(doc.xflows, clone(e.value) as unknown as ModelDoc['xflows'][number], e.index);
      return;
    }
    case 'updateFlow':
      patchNamed(doc.xflows, indexOfName(doc.xflows, e.flow, 'flow'), e.value, '\u0000', 'flow');
      return;
    case 'removeFlow':
      doc.xflows.splice(indexOfName(doc.xflows, e.flow, 'flow'), 1);
      return;
  }
}

/**
 * invertEdits returns the edits that undo edits made on doc (the document
 * before them): applying edits and then the result gives doc back.
 */
export function invertEdits(doc: ModelDoc, edits: readonly Edit[]): Edit[] {
  const inverse: Edit[] = [];
  let cur = doc;
  for (const e of edits) {
    inverse.unshift(...invertOne(cur, e));
    cur = applyEdits(cur, [e]);
  }
  return inverse;
}

function asJSON<T>(v: T): JSONValue {
  return clone(v) as unknown as JSONValue;
}

function invertOne(doc: ModelDoc, e: Edit): Edit[] {
  switch (e.op) {
    case 'setDescription':
      return [{ op: 'setDescription', value: doc.description ?? '' }];
    case 'addEntity':
      return [{ op: 'removeEntity', entity: nameOf(e.value) }];
    case 'updateEntity': {
      const i = indexOfName(doc.entities, e.entity, 'entity');
      const { fields: _fields, ...head } = doc.entities[i] as Entity;
      const patch = e.value as JSONObject;
      const now = typeof patch.name === 'string' ? patch.name : (e.entity as string);
      return [{ op: 'updateEntity', entity: now, value: inversePatch(head, patch) }];
    }
    case 'removeEntity': {
      const i = indexOfName(doc.entities, e.entity, 'entity');
      const back: Edit[] = [{ op: 'addEntity', index: i, value: asJSON(doc.entities[i]) }];
      doc.relationships.forEach((r, j) => {
        if (r.from === e.entity || r.to === e.entity) back.push({ op: 'addRelationship', index: j, value: asJSON(r) });
      });
      return back;
    }
    case 'reorderEntities':
      return [{ op: 'reorderEntities', order: doc.entities.map((x) => x.name) }];
    case 'addField':
      return [{ op: 'removeField', entity: e.entity, field: nameOf(e.value) }];
    case 'updateField': {
      const ent = at(doc.entities, indexOfName(doc.entities, e.entity, 'entity'), 'entity', '');
      const f = at(ent.fields, indexOfName(ent.fields, e.field, 'field'), 'field', '');
      const patch = e.value as JSONObject;
      const now = typeof patch.name === 'string' ? patch.name : (e.field as string);
      return [{ op: 'updateField', entity: e.entity, field: now, value: inversePatch(f as unknown as JSONObject, patch) }];
    }
    case 'removeField': {
      const ent = at(doc.entities, indexOfName(doc.entities, e.entity, 'entity'), 'entity', '');
      const i = indexOfName(ent.fields, e.field, 'field');
      return [{ op: 'addField', entity: e.entity, index: i, value: asJSON(ent.fields[i]) }];
    }
    case 'reorderFields': {
      const ent = at(doc.entities, indexOfName(doc.entities, e.entity, 'entity'), 'entity', '');
      return [{ op: 'reorderFields', entity: e.entity, order: ent.fields.map((f) => f.name) }];
    }
    case 'addRelationship':
      return [{ op: 'removeRelationship', relationship: nameOf(e.value) }];
    case 'updateRelationship': {
      const r = at(doc.relationships, indexOfName(doc.relationships, e.relationship, 'relationship'), 'relationship', '');
      const patch = e.value as JSONObject;
      const now = typeof patch.name === 'string' ? patch.name : (e.relationship as string);
      return [{ op: 'updateRelationship', relationship: now, value: inversePatch(r as unknown as JSONObject, patch) }];
    }
    case 'removeRelationship': {
      const i = indexOfName(doc.relationships, e.relationship, 'relationship');
      return [{ op: 'addRelationship', index: i, value: asJSON(doc.relationships[i]) }];
    }
    case 'addPage':
      return [{ op: 'removePage', page: nameOf(e.value) }];
    case 'updatePage': {
      const p = at(doc.pages, indexOfName(doc.pages, e.page, 'page'), 'page', '');
      const { components: _c, ...head } = p;
      const patch = e.value as JSONObject;
      const now = typeof patch.name === 'string' ? patch.name : (e.page as string);
      return [{ op: 'updatePage', page: now, value: inversePatch(head as JSONObject, patch) }];
    }
    case 'removePage': {
      const i = indexOfName(doc.pages, e.page, 'page');
      return [{ op: 'addPage', index: i, value: asJSON(doc.pages[i]) }];
    }
    case 'reorderPages':
      return [{ op: 'reorderPages', order: doc.pages.map((p) => p.name) }];
    case 'addComponent':
      return [{ op: 'removeComponent', page: e.page, component: nameOf(e.value, 'id') }];
    case 'updateComponent': {
      const p = at(doc.pages, indexOfName(doc.pages, e.page, 'page'), 'page', '');
      const slot = findComponent(p, e.component);
      const { children: _ch, ...head } = slot.list[slot.index] as PageComponent;
      const patch = e.value as JSONObject;
      const now = typeof patch.id === 'string' ? patch.id : (e.component as string);
      return [{ op: 'updateComponent', page: e.page, component: now, value: inversePatch(head, patch) }];
    }
    case 'removeComponent': {
      const p = at(doc.pages, indexOfName(doc.pages, e.page, 'page'), 'page', '');
      const slot = findComponent(p, e.component);
      const parent = parentOf(p, e.component as string);
      const add: Edit = { op: 'addComponent', page: e.page, index: slot.index, value: asJSON(slot.list[slot.index]) };
      if (parent !== undefined) add.parent = parent;
      return [add];
    }
    case 'reorderComponents': {
      const p = at(doc.pages, indexOfName(doc.pages, e.page, 'page'), 'page', '');
      const back: Edit = { op: 'reorderComponents', page: e.page, order: childList(clone(p), e.parent).map((c) => c.id) };
      if (e.parent !== undefined) back.parent = e.parent;
      return [back];
    }
    case 'addFlow':
      return [{ op: 'removeFlow', flow: nameOf(e.value) }];
    case 'updateFlow': {
      const f = at(doc.xflows, indexOfName(doc.xflows, e.flow, 'flow'), 'flow', '');
      const patch = e.value as JSONObject;
      const now = typeof patch.name === 'string' ? patch.name : (e.flow as string);
      return [{ op: 'updateFlow', flow: now, value: inversePatch(f as unknown as JSONObject, patch) }];
    }
    case 'removeFlow': {
      const i = indexOfName(doc.xflows, e.flow, 'flow');
      return [{ op: 'addFlow', index: i, value: asJSON(doc.xflows[i]) }];
    }
  }
}

/** parentOf returns the id of the component holding id, or undefined at the top. */
function parentOf(page: Page, id: string): string | undefined {
  let parent: string | undefined;
  walk(page.components ?? [], (c) => {
    if (c.children?.some((k) => k.id === id)) {
      parent = c.id;
      return true;
    }
    return false;
  });
  return parent;
}

/**
 * editPath is the path of the part an edit touches, as the server's
 * Changes name it: "entities/Task", "entities/Task/fields/title",
 * "entities/Task/fields" for a reorder, "pages/Tasks/components/new-task".
 */
export function editPath(e: Edit): string {
  switch (e.op) {
    case 'setDescription':
      return 'description';
    case 'addEntity':
      return `entities/${nameOf(e.value)}`;
    case 'updateEntity':
    case 'removeEntity':
      return `entities/${e.entity ?? ''}`;
    case 'reorderEntities':
      return 'entities';
    case 'addField':
      return `entities/${e.entity ?? ''}/fields/${nameOf(e.value)}`;
    case 'updateField':
    case 'removeField':
      return `entities/${e.entity ?? ''}/fields/${e.field ?? ''}`;
    case 'reorderFields':
      return `entities/${e.entity ?? ''}/fields`;
    case 'addRelationship':
      return `relationships/${nameOf(e.value)}`;
    case 'updateRelationship':
    case 'removeRelationship':
      return `relationships/${e.relationship ?? ''}`;
    case 'addPage':
      return `pages/${nameOf(e.value)}`;
    case 'updatePage':
    case 'removePage':
      return `pages/${e.page ?? ''}`;
    case 'reorderPages':
      return 'pages';
    case 'addComponent':
      return `pages/${e.page ?? ''}/components/${nameOf(e.value, 'id')}`;
    case 'updateComponent':
    case 'removeComponent':
      return `pages/${e.page ?? ''}/components/${e.component ?? ''}`;
    case 'reorderComponents':
      return `pages/${e.page ?? ''}/components`;
    case 'addFlow':
      return `xflows/${nameOf(e.value)}`;
    case 'updateFlow':
    case 'removeFlow':
      return `xflows/${e.flow ?? ''}`;
  }
}

/** editKind is the kind of Change an edit makes. */
export function editKind(e: Edit): 'add' | 'remove' | 'update' | 'reorder' {
  if (e.op.startsWith('add')) return 'add';
  if (e.op.startsWith('remove')) return 'remove';
  if (e.op.startsWith('reorder')) return 'reorder';
  return 'update';
}
