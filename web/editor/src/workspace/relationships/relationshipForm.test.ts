import { describe, expect, it } from 'vitest';
import type { ModelDoc, Relationship } from '../../model/types';
import { follow, fromForm, initialValues, kindSigil, missingEnds, onDeleteText, plural, relationshipSchema, suggest, toForm, type RelationshipFormValues } from './relationshipForm';

const doc: ModelDoc = {
  name: 'projects',
  entities: [
    { name: 'Project', fields: [{ name: 'name', type: 'string' }] },
    { name: 'Task', fields: [{ name: 'title', type: 'string' }, { name: 'owner', type: 'string' }] },
    { name: 'Tag', fields: [{ name: 'label', type: 'string' }] },
    { name: 'Person', fields: [] },
  ],
  relationships: [
    { name: 'projectTasks', kind: 'one-to-many', from: 'Project', to: 'Task', fromField: 'tasks', toField: 'project', onDelete: 'cascade', required: true },
  ],
  pages: [],
  xflows: [],
};

const taskTags: RelationshipFormValues = {
  name: 'taskTags', kind: 'many-to-many', from: 'Task', to: 'Tag', fromField: 'tags', toField: 'tasks', onDelete: 'set-null', required: false,
};

describe('relationship form', () => {
  it('round-trips a relationship', () => {
    const r = doc.relationships[0] as Relationship;
    expect(fromForm(toForm(r))).toEqual(r);
  });

  it('keeps required only where the kind allows it', () => {
    expect(fromForm({ ...taskTags, required: true }).required).toBeUndefined();
    expect(fromForm({ ...taskTags, kind: 'one-to-many', required: true, onDelete: 'restrict' }).required).toBe(true);
  });

  it('gives onDelete its default when the document has none', () => {
    expect(toForm({ name: 'r', kind: 'many-to-many', from: 'Task', to: 'Tag', fromField: 'tags', toField: 'tasks' }).onDelete).toBe('set-null');
    expect(toForm({ name: 'r', kind: 'one-to-one', from: 'Task', to: 'Tag', fromField: 'tag', toField: 'task' }).onDelete).toBe('restrict');
  });

  const schema = relationshipSchema(doc);
  it('accepts a good relationship', () => {
    expect(schema.safeParse(taskTags).success).toBe(true);
  });

  const bad: [string, Partial<RelationshipFormValues>, keyof RelationshipFormValues, string][] = [
    ['a taken name', { name: 'projectTasks' }, 'name', 'There is already a relationship with this name'],
    ['a name with a space', { name: 'task tags' }, 'name', 'Start with a letter'],
    ['no "from" entity type', { from: '' }, 'from', 'Choose an entity type'],
    ['a missing entity type', { to: 'Tgs' }, 'to', 'There is no entity type “Tgs”'],
    ['an end that is a field', { toField: 'label' }, 'toField', 'Tag already has “label”: a field of Tag'],
    ['an end another relationship uses', { fromField: 'project' }, 'fromField', 'Task already has “project”: relationship “projectTasks”'],
    ['an end that is a system field', { fromField: 'createdAt' }, 'fromField', '“createdAt” is a system field'],
    ['an end that is not an identifier', { fromField: '2tags' }, 'fromField', 'Start with a letter'],
    ['the same name at both ends of a self relationship', { to: 'Task', fromField: 'linked', toField: 'linked' }, 'toField', 'the names must differ'],
    ['set-null on a required relationship', { kind: 'one-to-many', required: true }, 'onDelete', 'cannot be used with a required relationship'],
  ];
  for (const [what, change, path, msg] of bad) {
    it(`refuses ${what}`, () => {
      const r = schema.safeParse({ ...taskTags, ...change });
      expect(r.success).toBe(false);
      expect(r.error?.issues.find((i) => i.path[0] === path)?.message).toContain(msg);
    });
  }

  it('does not count the relationship being edited against itself', () => {
    const own = toForm(doc.relationships[0] as Relationship);
    expect(relationshipSchema(doc, 'projectTasks').safeParse(own).success).toBe(true);
    expect(relationshipSchema(doc).safeParse(own).success).toBe(false);
  });

  it('lets many-to-many be required in the form without complaint (it is dropped)', () => {
    expect(schema.safeParse({ ...taskTags, required: true }).success).toBe(true);
  });
});

describe('suggested names', () => {
  it('pluralizes', () => {
    expect(['Task', 'category', 'Box', 'Match', 'day', 'Person', 'Salesperson', 'child'].map(plural))
      .toEqual(['Tasks', 'categories', 'Boxes', 'Matches', 'days', 'People', 'Salespeople', 'children']);
  });

  it('names the ends after the entity types', () => {
    const empty: ModelDoc = { ...doc, relationships: [] };
    expect(suggest(empty, { kind: 'one-to-many', from: 'Project', to: 'Task' })).toEqual({ name: 'projectTasks', fromField: 'tasks', toField: 'project' });
    expect(suggest(empty, { kind: 'many-to-many', from: 'Task', to: 'Tag' })).toEqual({ name: 'taskTags', fromField: 'tags', toField: 'tasks' });
    expect(suggest(empty, { kind: 'one-to-one', from: 'Person', to: 'Project' })).toEqual({ name: 'personProject', fromField: 'project', toField: 'person' });
  });

  it('names the ends of a self relationship apart', () => {
    expect(suggest(doc, { kind: 'one-to-many', from: 'Task', to: 'Task' })).toEqual({ name: 'taskTasks', fromField: 'childTasks', toField: 'parentTask' });
    const s = suggest(doc, { kind: 'one-to-one', from: 'Person', to: 'Person' });
    expect(s.fromField).toBe('person');
    expect(s.toField).toBe('person2');
    expect(suggest(doc, { kind: 'many-to-many', from: 'Tag', to: 'Tag' }).toField).toBe('relatedTags');
  });

  it('avoids names that are taken', () => {
    // "projectTasks" exists; "tasks" is taken on Project, "project" on Task.
    expect(suggest(doc, { kind: 'one-to-many', from: 'Project', to: 'Task' })).toEqual({ name: 'projectTasks2', fromField: 'tasks2', toField: 'project2' });
    // The relationship being edited does not take its own names.
    expect(suggest(doc, { kind: 'one-to-many', from: 'Project', to: 'Task' }, 'projectTasks')).toEqual({ name: 'projectTasks', fromField: 'tasks', toField: 'project' });
    // A field of the same name.
    const owned: ModelDoc = { ...doc, entities: doc.entities.map((e) => (e.name === 'Tag' ? { ...e, fields: [{ name: 'tasks', type: 'string' }] } : e)) };
    expect(suggest(owned, { kind: 'many-to-many', from: 'Task', to: 'Tag' }).toField).toBe('tasks2');
  });

  it('starts a new relationship between the first two entity types', () => {
    expect(initialValues(doc)).toEqual({
      name: 'projectTasks2', kind: 'one-to-many', from: 'Project', to: 'Task', fromField: 'tasks2', toField: 'project2', onDelete: 'restrict', required: false,
    });
    const one: ModelDoc = { ...doc, entities: [{ name: 'Node', fields: [] }], relationships: [] };
    expect(initialValues(one)).toMatchObject({ from: 'Node', to: 'Node', fromField: 'childNodes', toField: 'parentNode' });
  });

  it('follows the entity types with the names the builder left as suggested', () => {
    const empty: ModelDoc = { ...doc, relationships: [] };
    const prev: RelationshipFormValues = { ...suggest(empty, { kind: 'one-to-many', from: 'Project', to: 'Task' }), kind: 'one-to-many', from: 'Project', to: 'Task', onDelete: 'restrict', required: true };
    const next = follow(empty, prev, { ...prev, to: 'Tag' });
    expect(next).toMatchObject({ name: 'projectTags', fromField: 'tags', toField: 'project', required: true });
    const typed = follow(empty, { ...prev, fromField: 'work' }, { ...prev, fromField: 'work', to: 'Tag' });
    expect(typed.fromField).toBe('work');
    expect(follow(empty, prev, { ...prev, to: 'Tag' }, undefined, ['fromField', 'toField']).name).toBe('projectTasks');
  });

  it('follows the kind with onDelete and required', () => {
    const empty: ModelDoc = { ...doc, relationships: [] };
    const prev: RelationshipFormValues = { ...suggest(empty, { kind: 'one-to-many', from: 'Task', to: 'Tag' }), kind: 'one-to-many', from: 'Task', to: 'Tag', onDelete: 'restrict', required: true };
    expect(follow(empty, prev, { ...prev, kind: 'many-to-many' })).toMatchObject({ toField: 'tasks', onDelete: 'set-null', required: false });
    expect(follow(empty, { ...prev, onDelete: 'cascade' }, { ...prev, onDelete: 'cascade', kind: 'many-to-many' }).onDelete).toBe('cascade');
  });
});

describe('describing', () => {
  it('writes kinds short', () => {
    expect(kindSigil('one-to-many')).toBe('1 — N');
    expect(kindSigil('many-to-many')).toBe('N — M');
  });

  it('explains onDelete with the entity types', () => {
    const v = { kind: 'one-to-many' as const, from: 'Project', to: 'Task', toField: 'project' };
    expect(onDeleteText('restrict', v)).toBe('Deleting a Project is refused while it has Task records.');
    expect(onDeleteText('set-null', v)).toContain('clears “project” on its Task records');
    expect(onDeleteText('set-null', { ...v, kind: 'many-to-many' })).toContain('drops its links');
  });

  it('finds the entity types a relationship names that are missing', () => {
    expect(missingEnds(doc, { from: 'Project', to: 'Tsk' })).toEqual(['Tsk']);
    expect(missingEnds(doc, { from: 'Project', to: 'Task' })).toEqual([]);
  });
});
