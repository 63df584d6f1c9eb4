// The fields of an entity type as a table: reorder by dragging the handle
// (or with the keyboard: focus the handle, Space, arrows, Space; or the
// menu), open a
// field's panel, delete, and add fields one after another (name, type,
// Enter).

import { ActionIcon, Badge, Button, Group, Menu, Paper, Select, Table, TagsInput, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { fieldNameError } from '../../model/names';
import { fieldTypes, type Entity, type Field, type FieldType, type JSONValue } from '../../model/types';
import { useEdit, useModel, useWorkspace } from '../context';
import { EditingBadge } from '../presence';
import { DragHandle, SortableList, moved, useSortableRow } from '../SortableList';
import { rulesSummary } from './fieldForm';
import { IconDots } from '@tabler/icons-react';

export function FieldsTable({ entity }: { entity: Entity }) {
  const { name } = useWorkspace();
  const edit = useEdit();
  const names = entity.fields.map((f) => f.name);
  const base = `/models/${encodeURIComponent(name)}/entities/${encodeURIComponent(entity.name)}`;

  const move = (from: number, to: number) => {
    const order = moved(names, from, to);
    if (order) edit(`Move field ${names[from] ?? ''}`, [{ op: 'reorderFields', entity: entity.name, order }]);
  };

  return (
    <Paper withBorder radius="md" p="md">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4">Fields</Title>
        <Text size="xs" c="dimmed">Drag the handle to reorder</Text>
      </Group>
      {entity.fields.length === 0 ? (
        <Text size="sm" c="dimmed" py="md">No fields yet: add the first one below.</Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <SortableList ids={names} onMove={move}>
            <Table verticalSpacing="xs" highlightOnHover aria-label={`Fields of ${entity.name}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={32}><VisuallyHidden>Order</VisuallyHidden></Table.Th>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Type</Table.Th>
                  <Table.Th>Required</Table.Th>
                  <Table.Th>Rules</Table.Th>
                  <Table.Th w={48}><VisuallyHidden>Actions</VisuallyHidden></Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entity.fields.map((f, i) => (
                  <FieldRow key={f.name} field={f} index={i} count={names.length} entity={entity.name} to={`${base}/fields/${encodeURIComponent(f.name)}`} move={move} />
                ))}
              </Table.Tbody>
            </Table>
          </SortableList>
        </Table.ScrollContainer>
      )}
      <AddField entity={entity.name} />
    </Paper>
  );
}

function FieldRow({ field, index, count, entity, to, move }: { field: Field; index: number; count: number; entity: string; to: string; move: (from: number, to: number) => void }) {
  const edit = useEdit();
  const { presence } = useWorkspace();
  const { setRow, style, isDragging, handle } = useSortableRow(field.name);
  return (
    <Table.Tr ref={setRow} style={{ ...style, background: isDragging ? 'var(--mantine-color-indigo-0)' : undefined }}>
      <Table.Td>
        <DragHandle handle={handle} label={`Reorder ${field.name}`} />
      </Table.Td>
      <Table.Td>
        <Text component={Link} to={to} size="sm" fw={600} c="indigo.7">{field.name}</Text>
        {field.displayName && <Text size="xs" c="dimmed">{field.displayName}</Text>}
        <EditingBadge presence={presence} path={`entities/${entity}/fields/${field.name}`} ml={6} />
      </Table.Td>
      <Table.Td><Badge variant="light" color={field.type === 'enum' ? 'grape' : 'blue'}>{field.type}</Badge></Table.Td>
      <Table.Td>
        <Text size="sm">{field.required ? 'Required' : '—'}{field.unique ? ' · unique' : ''}</Text>
      </Table.Td>
      <Table.Td><Text size="xs" c="dimmed" lineClamp={1} title={rulesSummary(field)}>{rulesSummary(field) || '—'}</Text></Table.Td>
      <Table.Td>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon variant="subtle" color="gray" aria-label={`Actions for field ${field.name}`}><IconDots size={16} /></ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item component={Link} to={to}>Edit</Menu.Item>
            <Menu.Item disabled={index === 0} onClick={() => move(index, index - 1)}>Move up</Menu.Item>
            <Menu.Item disabled={index === count - 1} onClick={() => move(index, index + 1)}>Move down</Menu.Item>
            <Menu.Divider />
            <Menu.Item color="red" onClick={() => edit(`Delete field ${field.name}`, [{ op: 'removeField', entity, field: field.name }])}>
              Delete
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Table.Td>
    </Table.Tr>
  );
}

const typeOptions = fieldTypes.map((t) => ({ value: t, label: t }));

function AddField({ entity }: { entity: string }) {
  const { doc } = useModel();
  const edit = useEdit();
  const [draft, setDraft] = useState('');
  const [type, setType] = useState<FieldType>('string');
  const [values, setValues] = useState<string[]>([]);
  const [tried, setTried] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const problem = tried || draft ? fieldNameError(doc, entity, draft) : null;
  const valuesProblem = tried && type === 'enum' && values.length === 0 ? 'An enum needs at least one value' : null;

  const add = () => {
    setTried(true);
    const n = draft.trim();
    if (fieldNameError(doc, entity, n) || (type === 'enum' && values.length === 0)) return;
    const value: Field = type === 'enum' ? { name: n, type, values } : { name: n, type };
    if (edit(`Add field ${n}`, [{ op: 'addField', entity, value: value as unknown as JSONValue }])) {
      setDraft('');
      setValues([]);
      setTried(false);
      input.current?.focus();
    }
  };

  return (
    <form onSubmit={(e) => { e.preventDefault(); add(); }} aria-label={`Add a field to ${entity}`}>
      <Group align="flex-start" mt="md" gap="xs" wrap="wrap">
        <TextInput ref={input} label="Field name" placeholder="dueDate" value={draft} error={problem} style={{ flex: 1, minWidth: 160 }}
          onChange={(e) => setDraft(e.currentTarget.value)} />
        <Select label="Field type" data={typeOptions} value={type} allowDeselect={false} w={140}
          onChange={(v) => setType((v as FieldType | null) ?? 'string')} />
        {type === 'enum' && (
          <TagsInput label="Values" placeholder="Type a value, Enter" value={values} onChange={setValues} error={valuesProblem}
            style={{ flex: 1, minWidth: 200 }} />
        )}
        <Button type="submit" mt={25} variant="light">Add field</Button>
      </Group>
    </form>
  );
}
