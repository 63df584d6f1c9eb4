// The edits of editModel, applied to the editor's copy of a model with the
// server's semantics (ApplyEdits in model_edit.go), inverted for undo, and
// addressed by the paths of the server's Changes for merging.

import { clone, inversePatch, isObject, mergePatch } from './patch';
import { componentIds as componentIDs, parentOf, placeOf, walk, type Place } from './tree';
import type { Edit, Entity, Field, JSONObject, JSONValue, ModelDoc, Page, PageComponent, Relationship } from './types';

/**
 * The members the server leaves out of a typed part when they hold their
 * zero value (Go's omitempty): after an edit the editor's copy says what
 * the server will save, so "required": false is no member at all.
 */
const omitEmpty = {
  entity: ['displayName', 'permissions'],
  field: ['displayName', 'required', 'unique', 'pattern', 'values'],
  relationship: ['onDelete', 'required'],
} as const;

function tidy<T extends object>(part: T, kind: keyof typeof omitEmpty): T {
  const out = part as Record<string, unknown>;
  for (const k of omitEmpty[kind]) {
    const v = out[k];
    if (v === false || v === '' || v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0)) {
      delete out[k];
    }
  }
  return part;
}

function tidyEntity(e: Entity): Entity {
  tidy(e, 'entity');
  e.fields = (e.fields ?? []).map((f) => tidy(f, 'field'));
  return e;
}

/** EditError says why an edit does not apply to a document. */
export class EditError extends Error {}

/** applyEdits returns doc with edits applied in order; doc is not changed. */
export function applyEdits(doc: ModelDoc, edits: readonly Edit[]): ModelDoc {
  const out = { ...doc };
  for (const e of edits) {
    writable(out, e);
    applyInPlace(out, e);
  }
  return out;
}

/**
 * writable copies, in out (a shallow copy of a document), the lists and
 * parts that edit e may change, so that applyInPlace changes copies and
 * everything else stays shared with the document it came from: an edit of
 * one field copies the list of entity types, that type and its fields, not
 * the other ninety-nine types (and React redraws what changed).
 */
function writable(out: ModelDoc, e: Edit): void {
  switch (e.op) {
    case 'setDescription':
      return;
    case 'addEntity':
    case 'reorderEntities':
      out.entities = [...out.entities];
      return;
    case 'removeEntity':
      out.entities = [...out.entities];
      out.relationships = [...out.relationships];
      return;
    case 'updateEntity':
      out.entities = [...out.entities];
      if (isObject(e.value) && 'name' in e.value) out.relationships = out.relationships.map((r) => ({ ...r }));
      return;
    case 'addField':
    case 'updateField':
    case 'removeField':
    case 'reorderFields': {
      out.entities = [...out.entities];
      const i = out.entities.findIndex((x) => x.name === e.entity);
      const ent = out.entities[i];
      if (ent) out.entities[i] = { ...ent, fields: [...ent.fields] };
      return;
    }
    case 'addRelationship':
    case 'updateRelationship':
    case 'removeRelationship':
      out.relationships = [...out.relationships];
      return;
    case 'addPage':
    case 'removePage':
    case 'reorderPages':
    case 'updatePage':
      out.pages = [...out.pages];
      return;
    case 'addComponent':
    case 'updateComponent':
    case 'removeComponent':
    case 'reorderComponents': {
      out.pages = [...out.pages];
      const i = out.pages.findIndex((x) => x.name === e.page);
      const page = out.pages[i];
      if (page) out.pages[i] = clone(page); // a page's tree is small: copied whole
      return;
    }
    case 'addFlow':
    case 'updateFlow':
    case 'removeFlow':
      out.xflows = [...out.xflows];
      return;
  }
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

/** patchNamed applies patch to a part, refusing to touch keep, a member with edits of its own. */
function patchNamed<T extends { name: string }>(list: T[], i: number, patch: JSONValue | undefined, keep: string | null, what: string): void {
  if (!isObject(patch)) fail('the patch must be an object');
  if (keep !== null && keep in patch) fail(`"${keep}" has edits of its own`);
  const part = at(list, i, what, '');
  const next = mergePatch(part, patch) as unknown as T;
  if (typeof next.name !== 'string' || next.name === '') fail('the name is required');
  if (next.name !== part.name && list.some((x) => x.name === next.name)) fail(`${what} "${next.name}" already exists`);
  list[i] = next;
}

function findComponent(page: Page, id: string | undefined): Place {
  const at = id === undefined ? undefined : placeOf(page, id);
  if (!at) fail(`no component "${id ?? ''}" in page "${page.name}"`);
  return at;
}

/** childList is the list addComponent and reorderComponents work on. */
function childList(page: Page, parent: string | undefined): PageComponent[] {
  if (parent === undefined || parent === '') return (page.components ??= []);
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
      insertAt(doc.entities, tidyEntity(clone(e.value) as unknown as Entity), e.index);
      return;
    }
    case 'updateEntity': {
      const i = indexOfName(doc.entities, e.entity, 'entity');
      const old = (doc.entities[i] as Entity).name;
      patchNamed(doc.entities, i, e.value, 'fields', 'entity');
      tidy(doc.entities[i] as Entity, 'entity');
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
      insertAt(ent.fields, tidy(clone(e.value) as unknown as Field, 'field'), e.index);
      return;
    }
    case 'updateField': {
      const ent = at(doc.entities, indexOfName(doc.entities, e.entity, 'entity'), 'entity', '');
      const i = indexOfName(ent.fields, e.field, 'field');
      patchNamed(ent.fields, i, e.value, null, 'field');
      tidy(ent.fields[i] as Field, 'field');
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
      insertAt(doc.relationships, tidy(clone(e.value) as unknown as Relationship, 'relationship'), e.index);
      return;
    }
    case 'updateRelationship': {
      const i = indexOfName(doc.relationships, e.relationship, 'relationship');
      patchNamed(doc.relationships, i, e.value, null, 'relationship');
      tidy(doc.relationships[i] as Relationship, 'relationship');
      return;
    }
    case 'removeRelationship':
      doc.relationships.splice(indexOfName(doc.relationships, e.relationship, 'relationship'), 1);
      return;
    case 'addPage': {
      const name = nameOf(e.value);
      if (doc.pages.some((x) => x.name === name)) fail(`page "${name}" already exists`);
      const added = clone(e.value) as unknown as Page;
      const ids = new Set<string>();
      walk(added.components ?? [], (c) => {
        if (ids.has(c.id)) fail(`component id "${c.id}" is used twice in page "${name}"`);
        ids.add(c.id);
        return false;
      });
      insertAt(doc.pages, added, e.index);
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
      const added = clone(e.value) as unknown as PageComponent;
      nameOf(e.value, 'id');
      const ids = componentIDs(page);
      walk([added], (c) => {
        if (ids.has(c.id)) fail(`component id "${c.id}" is already used in page "${page.name}"`);
        ids.add(c.id);
        return false;
      });
      insertAt(childList(page, e.parent), added, e.index);
      return;
    }
    case 'updateComponent': {
      const page = at(doc.pages, indexOfName(doc.pages, e.page, 'page'), 'page', '');
      const slot = findComponent(page, e.component);
      if (!isObject(e.value)) fail('the patch must be an object');
      if ('children' in e.value) fail('"children" has edits of its own');
      const next = mergePatch(slot.list[slot.index] as unknown as JSONObject, e.value) as unknown as PageComponent;
      if (typeof next.id !== 'string' || next.id === '') fail('the component needs an id');
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
      patchNamed(doc.xflows, indexOfName(doc.xflows, e.flow, 'flow'), e.value, null, 'flow');
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
      const parent = parentOf(p, e.component as string)?.id;
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

/** esc writes a name for a path as the server does (a JSON Pointer key): "~" as "~0", "/" as "~1". */
function esc(name: string | undefined): string {
  return (name ?? '').replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * editPath is the path of the part an edit touches, as the server's
 * Changes name it (model_diff.go): "entities/Task",
 * "entities/Task/fields/title", "entities/Task/fields" for a reorder,
 * "pages/Tasks/components/new-task" (a component anywhere in the page),
 * "pages/Tasks/components/modal/children" for a reorder of its children.
 */
export function editPath(e: Edit): string {
  switch (e.op) {
    case 'setDescription':
      return 'description';
    case 'addEntity':
      return `entities/${esc(nameOf(e.value))}`;
    case 'updateEntity':
    case 'removeEntity':
      return `entities/${esc(e.entity)}`;
    case 'reorderEntities':
      return 'entities';
    case 'addField':
      return `entities/${esc(e.entity)}/fields/${esc(nameOf(e.value))}`;
    case 'updateField':
    case 'removeField':
      return `entities/${esc(e.entity)}/fields/${esc(e.field)}`;
    case 'reorderFields':
      return `entities/${esc(e.entity)}/fields`;
    case 'addRelationship':
      return `relationships/${esc(nameOf(e.value))}`;
    case 'updateRelationship':
    case 'removeRelationship':
      return `relationships/${esc(e.relationship)}`;
    case 'addPage':
      return `pages/${esc(nameOf(e.value))}`;
    case 'updatePage':
    case 'removePage':
      return `pages/${esc(e.page)}`;
    case 'reorderPages':
      return 'pages';
    case 'addComponent':
      return `pages/${esc(e.page)}/components/${esc(nameOf(e.value, 'id'))}`;
    case 'updateComponent':
    case 'removeComponent':
      return `pages/${esc(e.page)}/components/${esc(e.component)}`;
    case 'reorderComponents':
      return e.parent ? `pages/${esc(e.page)}/components/${esc(e.parent)}/children` : `pages/${esc(e.page)}/components`;
    case 'addFlow':
      return `xflows/${esc(nameOf(e.value))}`;
    case 'updateFlow':
    case 'removeFlow':
      return `xflows/${esc(e.flow)}`;
  }
}

/**
 * editPaths lists the paths an edit touches: its part's, and for an update
 * that renames the part the new name's too (the server reports a rename as
 * the part removed under its old name and added under the new one).
 */
export function editPaths(e: Edit): string[] {
  const path = editPath(e);
  const key = e.op === 'updateComponent' ? 'id' : 'name';
  if (e.op.startsWith('update') && isObject(e.value) && typeof e.value[key] === 'string') {
    const renamed = editPath({ ...e, [opTarget[e.op] ?? 'entity']: e.value[key] });
    if (renamed !== path) return [path, renamed];
  }
  return [path];
}

/** The member of an update edit that names its part. */
const opTarget: Partial<Record<Edit['op'], keyof Edit>> = {
  updateEntity: 'entity',
  updateField: 'field',
  updateRelationship: 'relationship',
  updatePage: 'page',
  updateComponent: 'component',
  updateFlow: 'flow',
};

/** editKind is the kind of Change an edit makes. */
export function editKind(e: Edit): 'add' | 'remove' | 'update' | 'reorder' {
  if (e.op.startsWith('add')) return 'add';
  if (e.op.startsWith('remove')) return 'remove';
  if (e.op.startsWith('reorder')) return 'reorder';
  return 'update';
}
