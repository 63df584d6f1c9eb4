// The diagram of the model: a box per entity type with its fields and
// relationship ends, a line per relationship labelled with its name and
// kind, laid out in code (layout.ts). Boxes can be dragged (the positions
// are not saved); a box opens its entity type, a line or its label the
// relationship (Enter does the same on a focused box). The table of
// relationships beside it says the same in text.

import { Paper, Stack, Text, Title } from '@mantine/core';
import {
  Background, BaseEdge, Controls, EdgeLabelRenderer, Handle, MarkerType, Position, ReactFlow, ReactFlowProvider,
  applyNodeChanges, getBezierPath, useReactFlow,
  type Edge, type EdgeProps, type Node, type NodeChange, type NodeProps,
} from '@xyflow/react';
import { useCallback, useEffect, useId, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useModel, useWorkspace } from '../context';
import { layoutDiagram, rowHeight, headerHeight, type Diagram as DiagramLayout, type DiagramEdge, type DiagramNode } from './layout';
import { kindSigil } from './relationshipForm';

type EntityNode = Node<{ box: DiagramNode }, 'entity'>;
type RelationshipEdge = Edge<DiagramEdge & { active: boolean; to: string; label: string }, 'relationship'>;

const fit = { padding: 0.12, maxZoom: 1 };
const hidden: CSSProperties = { opacity: 0, width: 6, height: 6, minWidth: 0, minHeight: 0, border: 0, pointerEvents: 'none' };

export function Diagram({ selected }: { selected?: string }) {
  const { doc } = useModel();
  const titleId = useId();
  const helpId = useId();
  const layout = useMemo(() => layoutDiagram(doc), [doc]);
  if (doc.entities.length === 0) return null;
  // As tall as the drawing at full size, within bounds.
  const drawn = Math.max(0, ...layout.nodes.map((n) => n.y + n.height)) - Math.min(0, ...layout.nodes.map((n) => n.y));
  const height = Math.min(640, Math.max(360, drawn + 140));
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={titleId}>
      <Stack gap={2} mb="sm">
        <Title order={3} size="h4" id={titleId}>Diagram</Title>
        <Text size="xs" c="dimmed" id={helpId}>
          Drag a box to move it; click a box to open the entity type, a line or its label to open the relationship.
          {doc.relationships.length > 0 && ' The table above lists the same relationships as text.'}
        </Text>
      </Stack>
      <div style={{ height, border: '1px solid var(--mantine-color-gray-3)', borderRadius: 'var(--mantine-radius-md)', overflow: 'hidden' }}>
        <ReactFlowProvider>
          <Flow layout={layout} selected={selected} describedBy={helpId} />
        </ReactFlowProvider>
      </div>
    </Paper>
  );
}

function toNode(box: DiagramNode, position?: { x: number; y: number }): EntityNode {
  const what = box.missing ? `Missing entity type ${box.entity}: relationships name it but the model has no such type` : `Entity type ${box.entity}`;
  return {
    id: box.id,
    type: 'entity',
    position: position ?? { x: box.x, y: box.y },
    data: { box },
    ariaLabel: `${what}, ${box.rows.length + box.more} fields and relationship ends. Enter opens it.`,
    connectable: false,
  };
}

function Flow({ layout, selected, describedBy }: { layout: DiagramLayout; selected?: string; describedBy: string }) {
  const { name: model } = useWorkspace();
  const navigate = useNavigate();
  const [nodes, setNodes] = useState<EntityNode[]>(() => layout.nodes.map((b) => toNode(b)));
  const dragged = useRef(new Set<string>());

  // A new layout keeps the boxes the builder moved where they were.
  useEffect(() => {
    setNodes((prev) => {
      const old = new Map(prev.map((n) => [n.id, n]));
      return layout.nodes.map((b) => {
        const o = old.get(b.id);
        const next = toNode(b, o && dragged.current.has(b.id) ? o.position : undefined);
        return o ? { ...o, ...next } : next;
      });
    });
  }, [layout]);

  const onNodesChange = useCallback((changes: NodeChange<EntityNode>[]) => {
    for (const c of changes) if (c.type === 'position' && c.dragging) dragged.current.add(c.id);
    setNodes((ns) => applyNodeChanges(changes, ns));
  }, []);

  const edges = useMemo<RelationshipEdge[]>(
    () =>
      layout.edges.map((e) => {
        const active = e.id === selected;
        const color = active ? 'var(--mantine-color-indigo-6)' : 'var(--mantine-color-gray-6)';
        return {
          id: e.id,
          type: 'relationship',
          source: e.source,
          target: e.target,
          sourceHandle: 'out',
          targetHandle: e.self ? 'self' : 'in',
          markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color },
          style: { stroke: color, strokeWidth: active ? 2.5 : 1.5 },
          zIndex: active ? 1 : 0,
          ariaLabel: `Relationship ${e.id}: ${e.kind} from ${e.source.replace(/^\?/, '')} to ${e.target.replace(/^\?/, '')}`,
          data: {
            ...e,
            active,
            label: `Relationship ${e.id}, ${e.kind}, from ${e.source.replace(/^\?/, '')} to ${e.target.replace(/^\?/, '')}`,
            to: `/models/${encodeURIComponent(model)}/relationships/${encodeURIComponent(e.id)}`,
          },
        };
      }),
    [layout, selected, model],
  );

  const openEntity = (id: string) => {
    if (id.startsWith('?')) return;
    navigate(`/models/${encodeURIComponent(model)}/entities/${encodeURIComponent(id)}`);
  };
  const openRelationship = (id: string) => navigate(`/models/${encodeURIComponent(model)}/relationships/${encodeURIComponent(id)}`);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'Enter' || !(e.target instanceof Element)) return;
    const node = e.target.closest('.react-flow__node')?.getAttribute('data-id');
    if (node) openEntity(node);
  };
  const signature = `${layout.nodes.map((n) => n.id).join(',')}|${layout.edges.map((e) => `${e.source}>${e.target}`).join(',')}`;

  return (
    <ReactFlow<EntityNode, RelationshipEdge>
      nodes={nodes} edges={edges} nodeTypes={nodeTypes} edgeTypes={edgeTypes}
      onNodesChange={onNodesChange}
      onNodeClick={(_, n) => openEntity(n.id)}
      onEdgeClick={(_, e) => openRelationship(e.id)}
      onKeyDown={onKeyDown}
      fitView fitViewOptions={fit} minZoom={0.2} maxZoom={1.75}
      nodesConnectable={false} edgesFocusable={false} edgesReconnectable={false} deleteKeyCode={null}
      aria-label="Diagram of the entity types and their relationships" aria-describedby={describedBy}
    >
      <Background gap={18} size={1.2} color="var(--mantine-color-gray-4)" />
      <Controls showInteractive={false} fitViewOptions={fit} />
      <Refit signature={signature} />
    </ReactFlow>
  );
}

/** Refit fits the view again when types or relationships come or go. */
function Refit({ signature }: { signature: string }) {
  const { fitView } = useReactFlow();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const t = setTimeout(() => void fitView({ ...fit, duration: 200 }), 60);
    return () => clearTimeout(t);
  }, [signature, fitView]);
  return null;
}

function EntityBox({ data: { box }, selected }: NodeProps<EntityNode>) {
  const border = box.missing ? '2px dashed var(--mantine-color-red-6)' : `1px solid var(--mantine-color-${selected ? 'indigo-5' : 'gray-4'})`;
  return (
    <div style={{ width: box.width, background: 'white', border, borderRadius: 8, boxShadow: 'var(--mantine-shadow-sm)', fontSize: 12, cursor: box.missing ? 'default' : 'pointer' }}>
      <Handle type="target" id="in" position={Position.Left} style={hidden} isConnectable={false} />
      <Handle type="source" id="out" position={Position.Right} style={hidden} isConnectable={false} />
      <Handle type="target" id="self" position={Position.Right} style={{ ...hidden, top: '80%' }} isConnectable={false} />
      <div style={{
        height: headerHeight, display: 'flex', alignItems: 'center', justifyContent: 'space-between', padding: '0 12px',
        background: box.missing ? 'var(--mantine-color-red-0)' : 'var(--mantine-color-indigo-6)',
        color: box.missing ? 'var(--mantine-color-red-8)' : 'white', borderRadius: '7px 7px 0 0', fontWeight: 600, fontSize: 13,
      }}>
        <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{box.entity}</span>
        {box.missing && <span style={{ fontSize: 11, fontWeight: 500 }}>missing</span>}
      </div>
      <div style={{ padding: '5px 0' }}>
        {box.rows.length === 0 && (
          <Row name={box.missing ? 'Not an entity type of the model' : 'No fields yet'} type="" dim />
        )}
        {box.rows.map((r, i) => (
          <Row key={`${r.name}-${i}`} name={r.name} type={r.type} end={r.end} first={r.end && !box.rows[i - 1]?.end} />
        ))}
        {box.more > 0 && <Row name={`+ ${box.more} more`} type="" dim />}
      </div>
    </div>
  );
}

function Row({ name, type, end, first, dim }: { name: string; type: string; end?: boolean; first?: boolean; dim?: boolean }) {
  return (
    <div style={{
      height: rowHeight, display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 8, padding: '0 12px',
      borderTop: first ? '1px solid var(--mantine-color-gray-2)' : undefined,
      color: dim ? 'var(--mantine-color-dimmed)' : end ? 'var(--mantine-color-indigo-7)' : 'var(--mantine-color-gray-8)',
      fontStyle: dim ? 'italic' : undefined,
    }}>
      <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', fontWeight: end ? 600 : 500 }}>{name}</span>
      {type && <span style={{ color: end ? 'var(--mantine-color-indigo-5)' : 'var(--mantine-color-gray-6)', fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 11, whiteSpace: 'nowrap' }}>{type}</span>}
    </div>
  );
}

function RelationshipLine({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, markerEnd, style }: EdgeProps<RelationshipEdge>) {
  if (!data) return null;
  let path: string;
  let x: number;
  let y: number;
  if (data.self) {
    const reach = 70;
    path = `M ${sourceX} ${sourceY} C ${sourceX + reach} ${sourceY - 10}, ${targetX + reach} ${targetY + 10}, ${targetX} ${targetY}`;
    x = sourceX + reach * 0.75;
    y = (sourceY + targetY) / 2;
  } else {
    [path, x, y] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  }
  y += (data.lane - (data.lanes - 1) / 2) * 34;
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} interactionWidth={18} />
      <EdgeLabelRenderer>
        <Link to={data.to} className="nodrag nopan" aria-label={data.label} aria-current={data.active ? 'page' : undefined}
          style={{
            position: 'absolute', transform: `translate(-50%, -50%) translate(${x}px, ${y}px)`, pointerEvents: 'all',
            display: 'flex', alignItems: 'center', gap: 6, padding: '2px 4px 2px 8px', borderRadius: 999, textDecoration: 'none',
            background: 'white', border: `1px solid var(--mantine-color-${data.active ? 'indigo-5' : 'gray-4'})`,
            boxShadow: 'var(--mantine-shadow-xs)', fontSize: 11, color: 'var(--mantine-color-gray-8)', whiteSpace: 'nowrap', zIndex: data.active ? 2 : 1,
          }}>
          <span style={{ fontWeight: 600 }}>{id}</span>
          <span style={{
            padding: '1px 6px', borderRadius: 999, fontWeight: 600, fontSize: 10,
            background: data.active ? 'var(--mantine-color-indigo-6)' : 'var(--mantine-color-indigo-0)',
            color: data.active ? 'white' : 'var(--mantine-color-indigo-7)',
          }}>{kindSigil(data.kind)}</span>
        </Link>
      </EdgeLabelRenderer>
    </>
  );
}

const nodeTypes = { entity: EntityBox };
const edgeTypes = { relationship: RelationshipLine };
