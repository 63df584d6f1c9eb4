// The canvas of a page: its components on the 12-column grid, in rows of
// cells, with the palette of component types. Drag a type from the
// palette onto a row, before a cell, between rows or into a Modal; drag a
// cell by its handle to move it, its right edge to resize it. Everything
// has a keyboard way too: Enter or Space on a palette item adds it at the
// end (as a click does), the arrows on a cell's handle move it (← → along
// its row, ↑ ↓ to the row above or below), ← → on its resize handle
// resize it, and each cell's menu does all of these.

import {
  DndContext, DragOverlay, PointerSensor, closestCenter, pointerWithin, useDraggable, useDroppable, useSensor, useSensors,
  type CollisionDetection, type DragEndEvent, type DragStartEvent, type ScreenReaderInstructions,
} from '@dnd-kit/core';
import { ActionIcon, Badge, Box, Button, Group, Menu, Paper, Stack, Text, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import type { Page, PageComponent } from '../../model/types';
import { useWorkspace } from '../context';
import { EditingBadge } from '../presence';
import { componentTypes, describe, isComponentType, typeInfo, type ComponentType } from './components';
import { columns, locate, move, nudge, rowsOf, setSpan, type Cell as GridCell, type Rows, type Step, type Target } from './grid';
import { usePageEdits } from './usePageEdits';
import { IconDots, IconGripVertical } from '@tabler/icons-react';

interface Props {
  page: Page;
  selected: string | null;
  onSelect: (id: string | null) => void;
  problems: Record<string, Record<string, string>>;
}

// What a screen reader says of the draggables: their keyboard ways (there
// is no keyboard drag).
const instructions: ScreenReaderInstructions = {
  draggable: 'Enter adds a palette item at the end of the page. On a cell’s move handle, the arrow keys move the cell.',
};

// Cells and modal cards under the pointer win over the row they are in.
const collide: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  if (hits.length) {
    const inner = hits.find((h) => /^(before|into):/.test(String(h.id)));
    return inner ? [inner] : hits;
  }
  return closestCenter(args);
};

function targetOf(over: string, rows: Rows): Target | null {
  const [kind, rest = ''] = [over.slice(0, over.indexOf(':')), over.slice(over.indexOf(':') + 1)];
  switch (kind) {
    case 'row':
      return { row: Number(rest) };
    case 'newrow':
      return { newRow: Number(rest) };
    case 'before': {
      const at = locate(rows, rest);
      return at ? { row: at.row, before: rest } : null;
    }
    default:
      return null;
  }
}

export function Canvas({ page, selected, onSelect, problems }: Props) {
  const pe = usePageEdits(page);
  const rows = rowsOf(page.components);
  const modals = (page.components ?? []).filter((c) => c.type === 'Modal');
  // Dragging is for pointers; the keyboard has its own keys (see above).
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }));
  const [dragging, setDragging] = useState<string | null>(null);
  const byId = new Map((page.components ?? []).map((c) => [c.id, c]));

  const add = (type: ComponentType, target?: Target) => {
    const id = pe.add(type, target);
    if (id) onSelect(id);
  };
  const onDragStart = (e: DragStartEvent) => setDragging(String(e.active.id));
  const onDragEnd = (e: DragEndEvent) => {
    setDragging(null);
    if (!e.over) return;
    const active = String(e.active.id);
    const over = String(e.over.id);
    if (active.startsWith('new:')) {
      const type = active.slice(4);
      if (!isComponentType(type)) return;
      if (over.startsWith('into:')) {
        if (type === 'Modal') return;
        const id = pe.addChild(over.slice(5), type);
        if (id) onSelect(id);
        return;
      }
      const target = targetOf(over, rows);
      if (target) add(type, target);
      return;
    }
    const id = active.slice(5);
    if (over === `before:${id}`) return;
    const target = targetOf(over, rows);
    if (target) pe.layout(`Move ${id}`, move(rows, id, target));
  };

  const overlay = dragging?.startsWith('new:') ? typeInfo[dragging.slice(4) as ComponentType]?.label : dragging ? dragging.slice(5) : null;

  return (
    <Paper withBorder radius="md" p="md">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">Layout</Title>
        <Menu position="bottom-end" withinPortal width={280}>
          <Menu.Target>
            <Button size="xs" variant="light">Add component</Button>
          </Menu.Target>
          <Menu.Dropdown>
            {componentTypes.map((t) => (
              <Menu.Item key={t} leftSection={<Text span aria-hidden ff="monospace" c="indigo">{typeInfo[t].icon}</Text>} onClick={() => add(t)}>
                <Text size="sm">{typeInfo[t].label}</Text>
                <Text size="xs" c="dimmed">{typeInfo[t].description}</Text>
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      </Group>
      <DndContext sensors={sensors} accessibility={{ screenReaderInstructions: instructions }} collisionDetection={collide} onDragStart={onDragStart} onDragEnd={onDragEnd} onDragCancel={() => setDragging(null)}>
        <Palette onAdd={add} />
        <Box mt="sm" role="group" aria-label={`Layout of ${page.name}`}>
          {rows.length === 0 && <EmptyDrop dragging={dragging !== null} />}
          {rows.map((row, r) => (
            <div key={row.map((c) => c.id).join(' ')}>
              <NewRowDrop index={r} dragging={dragging !== null} />
              <RowDrop index={r}>
                {row.map((cell) => {
                  const c = byId.get(cell.id);
                  return c ? (
                    <Cell key={cell.id} c={c} cell={cell} rows={rows} page={page.name} selected={selected === c.id}
                      problem={problems[c.id] !== undefined} onSelect={onSelect} pe={pe} />
                  ) : null;
                })}
              </RowDrop>
            </div>
          ))}
          {rows.length > 0 && <NewRowDrop index={rows.length} dragging={dragging !== null} />}
        </Box>
        <Stack gap={6} mt="md">
          <Text size="xs" fw={700} c="dimmed" tt="uppercase">Over the page</Text>
          {modals.length === 0 ? (
            <Text size="xs" c="dimmed">No modals. A Modal opens over the page when a button's action opens it.</Text>
          ) : (
            modals.map((m) => <ModalCard key={m.id} m={m} page={page.name} selected={selected} problems={problems} onSelect={onSelect} dragging={dragging} />)
          )}
        </Stack>
        <DragOverlay dropAnimation={null}>
          {overlay && <Paper shadow="md" p="xs" radius="sm" withBorder bg="indigo.0"><Text size="sm" fw={600}>{overlay}</Text></Paper>}
        </DragOverlay>
      </DndContext>
    </Paper>
  );
}

function Palette({ onAdd }: { onAdd: (type: ComponentType) => void }) {
  return (
    <Group gap={6} role="group" aria-label="Component palette">
      {componentTypes.map((t) => <PaletteItem key={t} type={t} onAdd={onAdd} />)}
    </Group>
  );
}

function PaletteItem({ type, onAdd }: { type: ComponentType; onAdd: (type: ComponentType) => void }) {
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: `new:${type}` });
  const info = typeInfo[type];
  return (
    <Tooltip label={`${info.description}. Drag onto the layout, or click to add at the end.`} multiline w={220} openDelay={400}>
      <Paper ref={setNodeRef} withBorder radius="sm" px={8} py={4} {...attributes} {...listeners}
        aria-label={`Add ${info.label}`} onClick={() => onAdd(type)}
        onKeyDown={(e: KeyboardEvent<HTMLDivElement>) => {
          if (e.key !== 'Enter' && e.key !== ' ') return;
          e.preventDefault();
          onAdd(type);
        }}
        style={{ cursor: 'grab', opacity: isDragging ? 0.5 : 1, userSelect: 'none', background: 'var(--mantine-color-gray-0)' }}>
        <Group gap={6} wrap="nowrap">
          <Text span aria-hidden ff="monospace" c="indigo" size="sm">{info.icon}</Text>
          <Text span size="xs" fw={600}>{info.label}</Text>
        </Group>
      </Paper>
    </Tooltip>
  );
}

function EmptyDrop({ dragging }: { dragging: boolean }) {
  const { setNodeRef, isOver } = useDroppable({ id: 'newrow:0' });
  return (
    <Box ref={setNodeRef} p="xl" style={{
      border: `2px dashed var(--mantine-color-${isOver ? 'indigo-5' : dragging ? 'indigo-3' : 'gray-3'})`, borderRadius: 8, textAlign: 'center',
      background: isOver ? 'var(--mantine-color-indigo-0)' : undefined,
    }}>
      <Text fw={600}>This page is empty</Text>
      <Text size="sm" c="dimmed">Drag a component from the palette here, or use “Add component”.</Text>
    </Box>
  );
}

function NewRowDrop({ index, dragging }: { index: number; dragging: boolean }) {
  const { setNodeRef, isOver } = useDroppable({ id: `newrow:${index}` });
  return (
    <Box ref={setNodeRef} aria-hidden style={{
      height: dragging ? 22 : 8, margin: '2px 0', borderRadius: 4, transition: 'height 120ms',
      border: dragging ? `1px dashed var(--mantine-color-${isOver ? 'indigo-6' : 'gray-4'})` : undefined,
      background: isOver ? 'var(--mantine-color-indigo-1)' : undefined,
    }}>
      {dragging && isOver && <Text size="xs" c="indigo" ta="center" lh="20px">New row</Text>}
    </Box>
  );
}

function RowDrop({ index, children }: { index: number; children: ReactNode }) {
  const { setNodeRef, isOver } = useDroppable({ id: `row:${index}` });
  return (
    <Box ref={setNodeRef} role="group" aria-label={`Row ${index + 1}`} data-grid-row pos="relative" p={4}
      style={{ borderRadius: 8, background: isOver ? 'var(--mantine-color-indigo-0)' : 'var(--mantine-color-gray-0)', outline: isOver ? '1px solid var(--mantine-color-indigo-3)' : undefined }}>
      <Box aria-hidden pos="absolute" inset={4} style={{ display: 'grid', gridTemplateColumns: `repeat(${columns}, 1fr)`, gap: 6, pointerEvents: 'none' }}>
        {Array.from({ length: columns }, (_, i) => <div key={i} style={{ background: 'var(--mantine-color-gray-1)', borderRadius: 3 }} />)}
      </Box>
      <Box pos="relative" style={{ display: 'grid', gridTemplateColumns: `repeat(${columns}, 1fr)`, gap: 6, minHeight: 64 }}>
        {children}
      </Box>
    </Box>
  );
}

interface CellProps {
  c: PageComponent;
  cell: GridCell;
  rows: Rows;
  page: string;
  selected: boolean;
  problem: boolean;
  onSelect: (id: string | null) => void;
  pe: ReturnType<typeof usePageEdits>;
}

/** The steps of a cell's move handle, by key, and the labels of their actions. */
const arrowSteps: Record<string, Step> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };
const stepLabels: Record<Step, string> = { left: 'Move left', right: 'Move right', up: 'Move up', down: 'Move down', ownRow: 'Give a row to' };

function Cell({ c, cell, rows, page, selected, problem, onSelect, pe }: CellProps) {
  const { presence } = useWorkspace();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDraggable({ id: `cell:${c.id}` });
  const { setNodeRef: setDropRef, isOver } = useDroppable({ id: `before:${c.id}` });
  const [resizing, setResizing] = useState<{ x: number; width: number; span: number } | null>(null);
  const [span, setSpanShown] = useState<number | null>(null);
  const shown = span ?? cell.span;
  const info = isComponentType(c.type) ? typeInfo[c.type] : null;
  const step = (s: Step, label: string) => pe.layout(`${label} ${c.id}`, nudge(rows, c.id, s));
  const resize = (n: number) => pe.layout(`Resize ${c.id}`, setSpan(rows, c.id, n));

  const onPointerDown = (e: PointerEvent<HTMLButtonElement>) => {
    const row = e.currentTarget.closest('[data-grid-row]');
    if (!row) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    setResizing({ x: e.clientX, width: row.getBoundingClientRect().width / columns, span: cell.span });
  };
  const onPointerMove = (e: PointerEvent<HTMLButtonElement>) => {
    if (!resizing) return;
    const n = resizing.span + Math.round((e.clientX - resizing.x) / resizing.width);
    setSpanShown(Math.max(1, Math.min(columns - cell.col, n)));
  };
  const onPointerUp = () => {
    if (!resizing) return;
    setResizing(null);
    if (span !== null && span !== cell.span) resize(span);
    setSpanShown(null);
  };
  const onMoveKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    const s = arrowSteps[e.key];
    if (!s) return;
    e.preventDefault();
    step(s, stepLabels[s]);
  };
  const onResizeKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key === 'ArrowLeft' && cell.span > 1) resize(cell.span - 1);
    else if (e.key === 'ArrowRight' && cell.col + cell.span < columns) resize(cell.span + 1);
    else return;
    e.preventDefault();
  };

  const color = problem ? 'red' : selected ? 'indigo' : 'gray';
  return (
    <Paper ref={(el: HTMLDivElement | null) => { setNodeRef(el); setDropRef(el); }} withBorder radius="sm" pos="relative"
      style={{
        gridColumn: `${cell.col + 1} / span ${shown}`, opacity: isDragging ? 0.4 : 1, minWidth: 0,
        borderColor: `var(--mantine-color-${color}-${selected || problem ? 6 : 3})`, borderWidth: selected ? 2 : 1,
        boxShadow: isOver ? 'inset 3px 0 0 var(--mantine-color-indigo-6)' : selected ? 'var(--mantine-shadow-sm)' : undefined,
      }}>
      <Group gap={2} wrap="nowrap" justify="space-between" px={4} pt={4} pr={14}>
        <Tooltip label="Drag, or the arrow keys, to move" openDelay={300}>
          <ActionIcon ref={setActivatorNodeRef} variant="subtle" color="gray" size="sm" aria-label={`Move ${c.id}`}
            style={{ cursor: 'grab' }} {...attributes} {...listeners} onKeyDown={onMoveKey}>
            <IconGripVertical size={16} />
          </ActionIcon>
        </Tooltip>
        {shown > 2 && (
          <Group gap={4} wrap="nowrap" style={{ flex: 1, minWidth: 0 }}>
            <Text span aria-hidden ff="monospace" c="indigo" size="xs">{info?.icon ?? '?'}</Text>
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" truncate>{info?.label ?? c.type}</Text>
            {problem && <Badge size="xs" color="red" variant="light">problem</Badge>}
          </Group>
        )}
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon variant="subtle" color="gray" size="sm" aria-label={`Actions for ${c.id}`}><IconDots size={16} /></ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Label>{shown} of 12 columns</Menu.Label>
            <Menu.Item onClick={() => step('left', stepLabels.left)}>Move left</Menu.Item>
            <Menu.Item onClick={() => step('right', stepLabels.right)}>Move right</Menu.Item>
            <Menu.Item onClick={() => step('up', stepLabels.up)}>Move up</Menu.Item>
            <Menu.Item onClick={() => step('down', stepLabels.down)}>Move down</Menu.Item>
            <Menu.Item onClick={() => step('ownRow', stepLabels.ownRow)}>Own row</Menu.Item>
            <Menu.Item disabled={cell.col + cell.span >= columns} onClick={() => resize(cell.span + 1)}>Wider</Menu.Item>
            <Menu.Item disabled={cell.span <= 1} onClick={() => resize(cell.span - 1)}>Narrower</Menu.Item>
            <Menu.Divider />
            <Menu.Item color="red" onClick={() => pe.remove(c.id) && selected && onSelect(null)}>Delete</Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
      <UnstyledButton onClick={() => onSelect(c.id)} aria-pressed={selected} aria-label={`${info?.label ?? c.type} ${c.id}`}
        title={`${info?.label ?? c.type} ${c.id}: ${describe(c)}`} display="block" px={8} pb={6} pr={16} w="100%" style={{ minWidth: 0 }}>
        <Text size="sm" fw={600} truncate>{describe(c)}</Text>
        <Text size="xs" c="dimmed" ff="monospace" truncate>{c.id}</Text>
        <EditingBadge presence={presence} path={`pages/${page}/components/${c.id}`} />
      </UnstyledButton>
      <Tooltip label={`${shown} of 12 columns: drag, or ← → to resize`} openDelay={300}>
        <UnstyledButton aria-label={`Resize ${c.id}: ${shown} of 12 columns`} onPointerDown={onPointerDown} onPointerMove={onPointerMove}
          onPointerUp={onPointerUp} onPointerCancel={onPointerUp} onKeyDown={onResizeKey}
          style={{ position: 'absolute', top: 0, right: 0, bottom: 0, width: 10, cursor: 'ew-resize', touchAction: 'none',
            borderLeft: '1px solid var(--mantine-color-gray-2)', background: resizing ? 'var(--mantine-color-indigo-2)' : undefined }}>
          <Box aria-hidden style={{ width: 2, height: 18, margin: 'auto', background: 'var(--mantine-color-gray-4)', borderRadius: 1 }} />
        </UnstyledButton>
      </Tooltip>
    </Paper>
  );
}

function ModalCard({ m, page, selected, problems, onSelect, dragging }: {
  m: PageComponent; page: string; selected: string | null; problems: Record<string, Record<string, string>>;
  onSelect: (id: string | null) => void; dragging: string | null;
}) {
  const { presence } = useWorkspace();
  const { setNodeRef, isOver } = useDroppable({ id: `into:${m.id}` });
  const accepts = dragging?.startsWith('new:') && dragging !== 'new:Modal';
  const here = selected === m.id;
  return (
    <Paper ref={setNodeRef} withBorder radius="sm" p="xs" style={{
      borderColor: `var(--mantine-color-${problems[m.id] ? 'red-6' : here ? 'indigo-6' : isOver && accepts ? 'indigo-4' : 'gray-3'})`,
      borderWidth: here ? 2 : 1, borderStyle: accepts ? 'dashed' : 'solid', background: isOver && accepts ? 'var(--mantine-color-indigo-0)' : undefined,
    }}>
      <Group justify="space-between" wrap="nowrap">
        <UnstyledButton onClick={() => onSelect(m.id)} aria-pressed={here} aria-label={`Modal ${m.id}`} style={{ flex: 1, minWidth: 0 }}>
          <Group gap={6} wrap="nowrap">
            <Text span aria-hidden ff="monospace" c="indigo" size="sm">{typeInfo.Modal.icon}</Text>
            <Text size="sm" fw={600} truncate>{typeof m.props?.title === 'string' && m.props.title ? m.props.title : m.id}</Text>
            <Text size="xs" c="dimmed" truncate>{m.id}</Text>
            <EditingBadge presence={presence} path={`pages/${page}/components/${m.id}`} />
          </Group>
        </UnstyledButton>
      </Group>
      <Group gap={4} mt={4}>
        {(m.children ?? []).map((k) => (
          <Button key={k.id} size="compact-xs" variant={selected === k.id ? 'filled' : problems[k.id] ? 'light' : 'default'} color={problems[k.id] ? 'red' : undefined}
            onClick={() => onSelect(k.id)} aria-label={`${isComponentType(k.type) ? typeInfo[k.type].label : k.type} ${k.id} in ${m.id}`}>
            {k.type} · {k.id}
          </Button>
        ))}
        {(m.children ?? []).length === 0 && <Text size="xs" c="dimmed">Empty: drag a Form here, or add one in the inspector.</Text>}
      </Group>
    </Paper>
  );
}
