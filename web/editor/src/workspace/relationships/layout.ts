// The layout of the diagram: a box per entity type listing its fields and
// relationship ends, and a line per relationship. Related types are laid
// out in layers from left to right ("from" before "to", a cycle broken
// where it is met), ordered within a layer to keep lines short; types with
// no relationship to another sit in a grid to the right.

import type { ModelDoc, RelationshipKind } from '../../model/types';

export const nodeWidth = 232;
export const headerHeight = 40;
export const rowHeight = 22;
export const maxRows = 14;
const padding = 10;
const gapX = 200;
const gapY = 48;

export interface DiagramRow {
  name: string;
  type: string;
  /** A relationship end rather than a field. */
  end: boolean;
}

export interface DiagramNode {
  /** The entity type's name; "?Name" for a type that relationships name but the model lacks. */
  id: string;
  entity: string;
  missing: boolean;
  rows: DiagramRow[];
  /** How many rows are left out of rows (beyond maxRows). */
  more: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

// A type alias rather than an interface: React Flow takes it as the data of a line.
export type DiagramEdge = {
  /** The relationship's name. */
  id: string;
  source: string;
  target: string;
  kind: RelationshipKind;
  self: boolean;
  /** Which of the lines between the same two types this is (0…lanes-1). */
  lane: number;
  lanes: number;
};

export interface Diagram {
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

export function nodeHeight(rows: number): number {
  return headerHeight + Math.max(1, rows) * rowHeight + padding;
}

export function layoutDiagram(doc: ModelDoc): Diagram {
  const known = new Set(doc.entities.map((e) => e.name));
  const idOf = (entity: string) => (known.has(entity) ? entity : `?${entity}`);

  // The boxes, in the model's order, then the missing types.
  const rows = new Map<string, DiagramRow[]>();
  const entityOf = new Map<string, string>();
  for (const e of doc.entities) {
    rows.set(e.name, e.fields.map((f) => ({ name: f.name, type: f.type, end: false })));
    entityOf.set(e.name, e.name);
  }
  for (const r of doc.relationships) {
    for (const name of [r.from, r.to]) {
      if (!rows.has(idOf(name))) {
        rows.set(idOf(name), []);
        entityOf.set(idOf(name), name);
      }
    }
  }
  for (const r of doc.relationships) {
    if (known.has(r.from)) rows.get(r.from)?.push({ name: r.fromField, type: r.kind === 'one-to-one' ? r.to : `${r.to}[]`, end: true });
    if (known.has(r.to)) rows.get(r.to)?.push({ name: r.toField, type: r.kind === 'many-to-many' ? `${r.from}[]` : r.from, end: true });
  }
  const ids = [...rows.keys()];

  // The lines, with lanes for those between the same two types.
  const pairCount = new Map<string, number>();
  const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
  const edges: DiagramEdge[] = doc.relationships.map((r) => {
    const source = idOf(r.from);
    const target = idOf(r.to);
    const key = pairKey(source, target);
    const lane = pairCount.get(key) ?? 0;
    pairCount.set(key, lane + 1);
    return { id: r.name, source, target, kind: r.kind, self: source === target, lane, lanes: 0 };
  });
  for (const e of edges) e.lanes = pairCount.get(pairKey(e.source, e.target)) ?? 1;

  // Layers: the longest path from a type nothing points to, back edges left out.
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  const linked = new Set<string>();
  for (const e of edges) {
    if (e.self) continue;
    const list = out.get(e.source) as string[];
    if (!list.includes(e.target)) list.push(e.target);
    linked.add(e.source);
    linked.add(e.target);
  }
  const state = new Map<string, 'open' | 'done'>();
  const finished: string[] = [];
  const forward = new Map<string, string[]>(ids.map((id) => [id, []]));
  const visit = (u: string) => {
    state.set(u, 'open');
    for (const v of out.get(u) ?? []) {
      if (state.get(v) === 'open') continue; // a back edge: it closes a cycle
      forward.get(u)?.push(v);
      if (!state.has(v)) visit(v);
    }
    state.set(u, 'done');
    finished.push(u);
  };
  for (const id of ids) if (linked.has(id) && !state.has(id)) visit(id);
  const rank = new Map<string, number>();
  for (const u of finished.reverse()) {
    const r = rank.get(u) ?? 0;
    rank.set(u, r);
    for (const v of forward.get(u) ?? []) rank.set(v, Math.max(rank.get(v) ?? 0, r + 1));
  }

  const layers: string[][] = [];
  for (const id of ids) {
    if (!linked.has(id)) continue;
    const r = rank.get(id) ?? 0;
    (layers[r] ??= []).push(id);
  }

  // Order each layer by where its neighbours in the layers before it are.
  const neighbours = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) {
    if (e.self) continue;
    neighbours.get(e.source)?.push(e.target);
    neighbours.get(e.target)?.push(e.source);
  }
  const position = new Map<string, number>();
  const place = (layer: string[]) => layer.forEach((id, i) => position.set(id, i));
  const sortBy = (layer: string[], towards: (id: string) => boolean) => {
    const centre = (id: string) => {
      const ns = (neighbours.get(id) ?? []).filter(towards).map((n) => position.get(n) ?? 0);
      return ns.length ? ns.reduce((a, b) => a + b, 0) / ns.length : (position.get(id) ?? 0);
    };
    const keyed = layer.map((id, i) => ({ id, key: centre(id), i }));
    keyed.sort((a, b) => a.key - b.key || a.i - b.i);
    layer.splice(0, layer.length, ...keyed.map((k) => k.id));
    place(layer);
  };
  layers.forEach((layer) => place(layer));
  for (let i = 1; i < layers.length; i++) sortBy(layers[i] as string[], (n) => (rank.get(n) ?? 0) < i);
  for (let i = layers.length - 2; i >= 0; i--) sortBy(layers[i] as string[], (n) => (rank.get(n) ?? 0) > i);

  const boxes = new Map<string, DiagramNode>();
  for (const id of ids) {
    const all = rows.get(id) ?? [];
    const shown = all.length > maxRows ? all.slice(0, maxRows - 1) : all;
    const more = all.length - shown.length;
    boxes.set(id, {
      id,
      entity: entityOf.get(id) ?? id,
      missing: !known.has(entityOf.get(id) ?? id),
      rows: shown,
      more,
      x: 0,
      y: 0,
      width: nodeWidth,
      height: nodeHeight(shown.length + (more > 0 ? 1 : 0)),
    });
  }

  // Columns: the layers, centred on the tallest, then the grid of the rest.
  const columnHeight = (col: string[]) => col.reduce((h, id) => h + (boxes.get(id)?.height ?? 0), 0) + gapY * Math.max(0, col.length - 1);
  const tallest = Math.max(0, ...layers.map(columnHeight));
  layers.forEach((layer, i) => {
    let y = (tallest - columnHeight(layer)) / 2;
    for (const id of layer) {
      const b = boxes.get(id) as DiagramNode;
      b.x = i * (nodeWidth + gapX);
      b.y = Math.round(y);
      y += b.height + gapY;
    }
  });
  const alone = ids.filter((id) => !linked.has(id));
  if (alone.length > 0) {
    const cols = Math.ceil(Math.sqrt(alone.length));
    const left = layers.length === 0 ? 0 : layers.length * (nodeWidth + gapX) - gapX / 2;
    const tops = new Array<number>(cols).fill(0);
    alone.forEach((id, i) => {
      const c = i % cols;
      const b = boxes.get(id) as DiagramNode;
      b.x = left + c * (nodeWidth + gapY);
      b.y = tops[c] ?? 0;
      tops[c] = b.y + b.height + gapY;
    });
  }

  return { nodes: ids.map((id) => boxes.get(id) as DiagramNode), edges };
}
