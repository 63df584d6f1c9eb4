// A list whose rows are put in another order by dragging a handle, or from
// the keyboard (focus the handle, Space, arrows, Space): the entity type's
// fields, the model's pages. SortableList holds the rows, useSortableRow
// makes one, DragHandle is its handle.

import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, arrayMove, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { ActionIcon } from '@mantine/core';
import { IconGripVertical } from '@tabler/icons-react';
import type { CSSProperties, ReactNode } from 'react';

/** moved is list with the item at from put at to, or null when that moves nothing (or goes out of the list). */
export function moved<T>(list: readonly T[], from: number, to: number): T[] | null {
  if (from === to || from < 0 || from >= list.length || to < 0 || to >= list.length) return null;
  return arrayMove([...list], from, to);
}

/** SortableList holds rows made with useSortableRow, one per id; onMove is told where one was dropped. */
export function SortableList({ ids, onMove, children }: { ids: string[]; onMove: (from: number, to: number) => void; children: ReactNode }) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const onDragEnd = (e: DragEndEvent) => {
    if (e.over) onMove(ids.indexOf(String(e.active.id)), ids.indexOf(String(e.over.id)));
  };
  return (
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
      <SortableContext items={ids} strategy={verticalListSortingStrategy}>{children}</SortableContext>
    </DndContext>
  );
}

export type HandleProps = ReturnType<typeof useSortableRow>['handle'];

/** useSortableRow makes the row of id: setRow (its ref) and style, and what its DragHandle needs. */
export function useSortableRow(id: string) {
  const s = useSortable({ id });
  const style: CSSProperties = { transform: CSS.Translate.toString(s.transform), transition: s.transition, opacity: s.isDragging ? 0.6 : 1 };
  return { setRow: s.setNodeRef, style, isDragging: s.isDragging, handle: { setHandle: s.setActivatorNodeRef, attributes: s.attributes, listeners: s.listeners } };
}

/** DragHandle is the grip a row is dragged by. */
export function DragHandle({ handle: { setHandle, attributes, listeners }, label }: { handle: HandleProps; label: string }) {
  return (
    <ActionIcon ref={setHandle} variant="subtle" color="gray" size="sm" aria-label={label} style={{ cursor: 'grab' }}
      {...attributes} {...listeners}>
      <IconGripVertical size={16} />
    </ActionIcon>
  );
}
