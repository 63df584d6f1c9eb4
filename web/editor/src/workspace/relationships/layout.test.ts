import { describe, expect, it } from 'vitest';
import type { ModelDoc, Relationship } from '../../model/types';
import { layoutDiagram, maxRows, type DiagramNode } from './layout';

function model(entities: string[], relationships: Partial<Relationship>[] = []): ModelDoc {
  return {
    name: 'm',
    entities: entities.map((name) => ({ name, fields: [{ name: 'title', type: 'string' }] })),
    relationships: relationships.map((r, i) => ({
      name: `r${i}`, kind: 'one-to-many', fromField: `to${i}`, toField: `from${i}`, from: '', to: '', ...r,
    })),
    pages: [],
    xflows: [],
  };
}

function overlap(a: DiagramNode, b: DiagramNode): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function noOverlaps(nodes: DiagramNode[]) {
  for (const a of nodes) for (const b of nodes) if (a !== b) expect(overlap(a, b), `${a.id} and ${b.id} overlap`).toBe(false);
}

const byId = (nodes: DiagramNode[]) => new Map(nodes.map((n) => [n.id, n]));

describe('diagram layout', () => {
  it('puts "from" before "to", layer by layer', () => {
    const d = layoutDiagram(model(['Tag', 'Task', 'Project'], [{ from: 'Project', to: 'Task' }, { from: 'Task', to: 'Tag', kind: 'many-to-many' }]));
    const n = byId(d.nodes);
    expect((n.get('Project') as DiagramNode).x).toBeLessThan((n.get('Task') as DiagramNode).x);
    expect((n.get('Task') as DiagramNode).x).toBeLessThan((n.get('Tag') as DiagramNode).x);
    expect(d.edges.map((e) => [e.id, e.source, e.target])).toEqual([['r0', 'Project', 'Task'], ['r1', 'Task', 'Tag']]);
    noOverlaps(d.nodes);
  });

  it('lists fields and relationship ends in the boxes', () => {
    const d = layoutDiagram(model(['Project', 'Task'], [{ from: 'Project', to: 'Task', fromField: 'tasks', toField: 'project' }]));
    const n = byId(d.nodes);
    expect(n.get('Project')?.rows).toEqual([{ name: 'title', type: 'string', end: false }, { name: 'tasks', type: 'Task[]', end: true }]);
    expect(n.get('Task')?.rows[1]).toEqual({ name: 'project', type: 'Project', end: true });
  });

  it('survives a cycle and places every node once', () => {
    const d = layoutDiagram(model(['A', 'B', 'C'], [{ from: 'A', to: 'B' }, { from: 'B', to: 'C' }, { from: 'C', to: 'A' }]));
    expect(d.nodes.map((x) => x.id).sort()).toEqual(['A', 'B', 'C']);
    expect(new Set(d.nodes.map((x) => x.x)).size).toBe(3);
    noOverlaps(d.nodes);
  });

  it('stacks a layer without overlaps and puts unrelated types in a grid beside', () => {
    const d = layoutDiagram(model(['Hub', 'A', 'B', 'C', 'Lone1', 'Lone2', 'Lone3'], [{ from: 'Hub', to: 'A' }, { from: 'Hub', to: 'B' }, { from: 'Hub', to: 'C' }]));
    const n = byId(d.nodes);
    const hub = n.get('Hub') as DiagramNode;
    const a = n.get('A') as DiagramNode;
    expect(new Set(['A', 'B', 'C'].map((id) => n.get(id)?.x)).size).toBe(1);
    for (const lone of ['Lone1', 'Lone2', 'Lone3']) expect((n.get(lone) as DiagramNode).x).toBeGreaterThan(a.x);
    // The hub is centred on its layer.
    const ys = ['A', 'B', 'C'].map((id) => n.get(id) as DiagramNode);
    const mid = (Math.min(...ys.map((x) => x.y)) + Math.max(...ys.map((x) => x.y + x.height))) / 2;
    expect(Math.abs(hub.y + hub.height / 2 - mid)).toBeLessThan(2);
    noOverlaps(d.nodes);
  });

  it('lays out types without relationships as a grid', () => {
    const d = layoutDiagram(model(['A', 'B', 'C', 'D']));
    expect(new Set(d.nodes.map((x) => x.x)).size).toBe(2);
    expect(d.edges).toEqual([]);
    noOverlaps(d.nodes);
  });

  it('marks self relationships and gives parallel ones lanes', () => {
    const d = layoutDiagram(model(['A', 'B'], [{ from: 'A', to: 'A' }, { from: 'A', to: 'B' }, { from: 'B', to: 'A' }]));
    expect(d.edges.map((e) => [e.self, e.lane, e.lanes])).toEqual([[true, 0, 1], [false, 0, 2], [false, 1, 2]]);
  });

  it('shows a type that relationships name but the model lacks as missing', () => {
    const d = layoutDiagram(model(['Task'], [{ from: 'Task', to: 'Tsk' }]));
    const missing = d.nodes.find((x) => x.missing);
    expect(missing).toMatchObject({ id: '?Tsk', entity: 'Tsk', rows: [] });
    expect(d.edges[0]?.target).toBe('?Tsk');
  });

  it('cuts long boxes short', () => {
    const doc = model(['Wide']);
    doc.entities[0]!.fields = Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, type: 'string' as const }));
    const [wide] = layoutDiagram(doc).nodes;
    expect(wide?.rows.length).toBe(maxRows - 1);
    expect(wide?.more).toBe(30 - (maxRows - 1));
  });
});
