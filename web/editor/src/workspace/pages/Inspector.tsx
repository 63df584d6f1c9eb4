// The inspector of the selected component: its id, its place on the grid,
// its props by type, its actions by event, and the components inside a
// Modal or Container. Every change is checked as the server checks it
// (componentForm.ts) and applied at once when valid (an id when the input
// is left or Enter is pressed); the server's problems show at the input
// they are about.

import {
  ActionIcon, Alert, Anchor, Badge, Button, Checkbox, Divider, Group, Menu, MultiSelect, NumberInput, Paper, Select, SimpleGrid, Stack, Text,
  TextInput, Textarea, Title,
} from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { diffPatch, equal, isObject } from '../../model/patch';
import type { JSONObject, JSONValue, Page, PageComponent } from '../../model/types';
import { useEdit, useModel, useWorkspace } from '../context';
import { moved } from '../SortableList';
import { useDraft } from '../useDraft';
import {
  actionLabels, actionSchema, componentIdSchema, eventActions, fromActionForm, parseSort, propsProblems, sortString, sortableFields, toActionForm,
  withType, type ActionContext, type ActionForm, type ActionType,
} from './componentForm';
import {
  componentTypes, dataFields, defaultEntity, describe, entityLabel, eventLabels, formModalEdits, isComponentType, renameComponentEdits,
  shownSystemFields, typeInfo,
} from './components';
import { columns, locate, move, rowsOf, setCol, setSpan } from './grid';
import { defaultColumns } from './preview';
import { componentIds, modalsOf, parentOf } from '../../model/tree';
import { usePageEdits, type PageEdits } from './usePageEdits';

interface Props {
  page: Page;
  component: PageComponent | undefined;
  /** The id in the URL when no component has it. */
  missing: string | null;
  onSelect: (id: string | null) => void;
  /** The server's problems with the component, by member ("props.entity"). */
  problems: Record<string, string>;
}

export function Inspector({ page, component, missing, onSelect, problems }: Props) {
  if (!component) {
    return (
      <Paper withBorder radius="md" p="md">
        <Title order={3} size="h4" mb="xs">Inspector</Title>
        <Text size="sm" c="dimmed">
          {missing ? `There is no component ${missing} in this page: it was renamed or removed.` : 'Select a component on the layout to edit it.'}
        </Text>
      </Paper>
    );
  }
  return <ComponentInspector key={component.id} page={page} c={component} onSelect={onSelect} problems={problems} />;
}

/** serverProblem is the server's first problem at member or inside it. */
function serverProblem(problems: Record<string, string>, member: string): string | undefined {
  const k = Object.keys(problems).find((p) => p === member || p.startsWith(`${member}.`) || p.startsWith(`${member}[`));
  return k === undefined ? undefined : problems[k];
}

function ComponentInspector({ page, c, onSelect, problems }: { page: Page; c: PageComponent; onSelect: (id: string | null) => void; problems: Record<string, string> }) {
  const pe = usePageEdits(page);
  const parent = parentOf(page, c.id) ?? null;
  const info = isComponentType(c.type) ? typeInfo[c.type] : null;
  const props = c.props ?? {};
  const known = ['id', 'type', 'position', 'children', ...Object.keys(props).map((k) => `props.${k}`), 'props', ...(info?.events ?? []).map((e) => `actions.${e}`)];
  const rest = Object.entries(problems).filter(([k]) => !known.some((m) => k === m || k.startsWith(`${m}.`) || k.startsWith(`${m}[`)));

  return (
    <Paper withBorder radius="md" p="md" aria-label={`Inspector of ${c.id}`} component="section">
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Group gap={6}>
              <Text span aria-hidden ff="monospace" c="indigo">{info?.icon}</Text>
              <Title order={3} size="h4">{info?.label ?? c.type}</Title>
            </Group>
            {parent ? (
              <Anchor component="button" type="button" size="xs" onClick={() => onSelect(parent.id)}>Inside {parent.type} {parent.id} ‹ back</Anchor>
            ) : (
              <Text size="xs" c="dimmed">{info?.description}</Text>
            )}
          </Stack>
          <Group gap={4} wrap="nowrap">
            <Button size="compact-xs" variant="subtle" color="gray" onClick={() => onSelect(null)}>Close</Button>
            <Button size="compact-xs" variant="subtle" color="red" onClick={() => pe.remove(c.id) && onSelect(parent?.id ?? null)}>Delete</Button>
          </Group>
        </Group>
        {!info && <Alert color="yellow">Unknown component type {c.type}: the server refuses it. Delete it, or undo.</Alert>}
        <IdInput page={page} c={c} problem={problems.id} onRenamed={onSelect} />
        {!parent && c.type !== 'Modal' && <PositionInputs page={page} c={c} pe={pe} problems={problems} />}
        {info && <PropsEditor c={c} pe={pe} problems={problems} />}
        {info && info.events.length > 0 && (
          <>
            <Divider label="Actions" labelPosition="left" />
            {info.events.map((ev) => <ActionEditor key={ev} page={page} c={c} event={ev} pe={pe} problem={serverProblem(problems, `actions.${ev}`)} />)}
          </>
        )}
        {c.type === 'Button' && <FormModalMaker page={page} c={c} />}
        {info?.children && <ChildrenEditor page={page} c={c} pe={pe} onSelect={onSelect} />}
        {rest.length > 0 && (
          <Alert color="red" title="The server refused" p="xs">
            {rest.map(([k, v]) => <Text key={k} size="xs">{k || 'component'}: {v}</Text>)}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

function IdInput({ page, c, problem, onRenamed }: { page: Page; c: PageComponent; problem: string | undefined; onRenamed: (id: string) => void }) {
  const edit = useEdit();
  const [draft, setDraft] = useDraft(c.id);
  const taken = [...componentIds(page)].filter((id) => id !== c.id);
  const r = componentIdSchema(taken).safeParse(draft);
  const error = draft !== c.id && !r.success ? r.error.issues[0]?.message : problem;
  const rename = () => {
    const id = draft.trim();
    if (id === c.id || !r.success) return;
    if (edit(`Rename component ${c.id} to ${id}`, renameComponentEdits(page, c.id, id))) onRenamed(id);
  };
  return (
    <TextInput label="Id" description="Actions name the component by it" value={draft} error={error}
      onChange={(e) => setDraft(e.currentTarget.value)} onBlur={rename}
      onKeyDown={(e) => {
        if (e.key === 'Enter') rename();
        if (e.key === 'Escape') setDraft(c.id);
      }} />
  );
}

function PositionInputs({ page, c, pe, problems }: { page: Page; c: PageComponent; pe: PageEdits; problems: Record<string, string> }) {
  const rows = rowsOf(page.components);
  const at = locate(rows, c.id);
  const cell = at ? rows[at.row]?.[at.index] : undefined;
  if (!at || !cell) return null;
  const num = (v: string | number) => (typeof v === 'number' ? v : Number.NaN);
  return (
    <SimpleGrid cols={3} spacing="xs">
      <NumberInput label="Row" min={1} max={rows.length + 1} value={at.row + 1} allowDecimal={false} error={serverProblem(problems, 'position.row')}
        onChange={(v) => {
          const r = num(v) - 1;
          if (!Number.isInteger(r) || r < 0 || r === at.row) return;
          pe.layout(`Move ${c.id}`, move(rows, c.id, r >= rows.length ? { newRow: rows.length } : { row: r }));
        }} />
      <NumberInput label="Column" min={1} max={columns} value={cell.col + 1} allowDecimal={false} error={serverProblem(problems, 'position.col')}
        onChange={(v) => {
          const col = num(v) - 1;
          if (Number.isInteger(col) && col >= 0 && col < columns && col !== cell.col) pe.layout(`Move ${c.id}`, setCol(rows, c.id, col));
        }} />
      <NumberInput label="Width" min={1} max={columns - cell.col} value={cell.span} allowDecimal={false}
        error={serverProblem(problems, 'position.span') ?? (problems.position || undefined)}
        onChange={(v) => {
          const span = num(v);
          if (Number.isInteger(span) && span >= 1 && span !== cell.span) pe.layout(`Resize ${c.id}`, setSpan(rows, c.id, span));
        }} />
    </SimpleGrid>
  );
}

function str(v: JSONValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

function strs(v: JSONValue | undefined): string[] | null {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null;
}

function PropsEditor({ c, pe, problems }: { c: PageComponent; pe: PageEdits; problems: Record<string, string> }) {
  const { name: model } = useWorkspace();
  const { doc } = useModel();
  const props = c.props ?? {};
  const local = propsProblems(c.type, doc, props);
  const err = (k: string) => local[k] ?? serverProblem(problems, `props.${k}`);
  const set = (what: string, patch: JSONObject, coalesce = false) => pe.patch(`Set ${what} of ${c.id}`, c.id, { props: patch }, coalesce);
  const entity = str(props.entity);
  const entities = doc.entities.map((e) => ({ value: e.name, label: e.displayName && e.displayName !== e.name ? `${e.name} (${e.displayName})` : e.name }));

  const entitySelect = (listKey: 'columns' | 'fields') =>
    doc.entities.length === 0 ? (
      <Alert color="yellow" p="xs">
        <Text size="sm">There are no entity types yet. <Anchor component={Link} to={`/models/${encodeURIComponent(model)}/entities`}>Add one</Anchor> to show its records.</Text>
      </Alert>
    ) : (
      <Select label="Entity type" placeholder="Choose an entity type" data={entities} value={entity || null} allowDeselect={false} searchable
        error={err('entity')}
        onChange={(v) => {
          if (!v || v === entity) return;
          const all = dataFields(doc, v);
          set('entity', { entity: v, [listKey]: all.length ? all : null, ...(c.type === 'DataGrid' ? { sort: null } : {}) });
        }} />
    );

  const fieldsSelect = (key: 'columns' | 'fields', label: string, system: boolean, dflt: string[]) => {
    const all = dataFields(doc, entity);
    const data = system ? [{ group: 'Fields', items: all }, { group: 'System', items: shownSystemFields }] : all;
    const value = strs(props[key]) ?? [];
    return (
      <MultiSelect label={label} data={data} value={value} disabled={!entity} searchable clearable hidePickedOptions
        placeholder={value.length ? undefined : `Default: ${dflt.join(', ') || 'none'}`} description="In the order shown; clear to use the default"
        error={err(key)} onChange={(v) => set(label.toLowerCase(), { [key]: v.length ? v : null })} />
    );
  };

  switch (c.type) {
    case 'DataGrid': {
      const sort = parseSort(props.sort);
      const pageSize = typeof props.pageSize === 'number' ? props.pageSize : 20;
      return (
        <Stack gap="xs">
          {entitySelect('columns')}
          {fieldsSelect('columns', 'Columns', true, defaultColumns(doc, entity))}
          <SimpleGrid cols={2} spacing="xs">
            <NumberInput label="Rows per page" min={1} max={200} allowDecimal={false} value={pageSize} error={err('pageSize')}
              onChange={(v) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 200 && set('rows per page', { pageSize: v }, true)} />
            <Select label="Sort by" placeholder="Newest first" clearable data={sortableFields(doc, entity)} value={sort?.field ?? null} error={err('sort')}
              disabled={!entity} onChange={(v) => set('sort', { sort: sortString(v ? { field: v, desc: sort?.desc ?? false } : null) })} />
          </SimpleGrid>
          <Checkbox label="Descending (largest, latest first)" checked={sort?.desc ?? false} disabled={!sort}
            onChange={(e) => sort && set('sort', { sort: sortString({ ...sort, desc: e.currentTarget.checked }) })} />
          <TextProp label="Filter" description={'Which records it shows, e.g. status = "open"'} value={str(props.filter)} error={err('filter')}
            onChange={(v) => set('filter', { filter: v.trim() ? v : null }, true)} />
        </Stack>
      );
    }
    case 'Form':
      return (
        <Stack gap="xs">
          {entitySelect('fields')}
          {fieldsSelect('fields', 'Fields', false, dataFields(doc, entity))}
          <TextProp label="Submit label" placeholder="Save" value={str(props.submitLabel)} error={err('submitLabel')}
            onChange={(v) => set('submit label', { submitLabel: v === '' ? null : v }, true)} />
        </Stack>
      );
    case 'Detail':
      return (
        <Stack gap="xs">
          {entitySelect('fields')}
          {fieldsSelect('fields', 'Fields', true, dataFields(doc, entity))}
        </Stack>
      );
    case 'Button':
      return <TextProp label="Label" required value={str(props.label)} error={err('label')} valid={(v) => v.trim() !== ''}
        onChange={(v) => set('label', { label: v }, true)} />;
    case 'Text':
      return <TextProp label="Text" multiline value={str(props.text)} error={err('text')} onChange={(v) => set('text', { text: v }, true)} />;
    case 'Modal':
      return <TextProp label="Title" value={str(props.title)} error={err('title')} onChange={(v) => set('title', { title: v === '' ? null : v }, true)} />;
    default:
      return null;
  }
}

/** TextProp is a text input applied as typed, when valid. */
function TextProp({ label, value, onChange, valid, error, multiline, required, description, placeholder }: {
  label: string; value: string; onChange: (v: string) => void; valid?: (v: string) => boolean; error?: string | undefined;
  multiline?: boolean; required?: boolean; description?: ReactNode; placeholder?: string;
}) {
  const [draft, setDraft] = useDraft(value);
  const bad = valid && !valid(draft) ? `${label} is required` : undefined;
  const change = (v: string) => {
    setDraft(v);
    if (!valid || valid(v)) onChange(v);
  };
  const common = { label, value: draft, error: bad ?? (draft === value ? error : undefined), withAsterisk: required, description, placeholder };
  return multiline ? (
    <Textarea {...common} autosize minRows={2} onChange={(e) => change(e.currentTarget.value)} />
  ) : (
    <TextInput {...common} onChange={(e) => change(e.currentTarget.value)} />
  );
}

function ActionEditor({ page, c, event, pe, problem }: { page: Page; c: PageComponent; event: string; pe: PageEdits; problem: string | undefined }) {
  const { doc } = useModel();
  const current = c.actions?.[event];
  const ctx: ActionContext = {
    modals: modalsOf(page).map((m) => m.id),
    pages: doc.pages.map((p) => p.name),
    components: [...componentIds(page)],
  };
  const [form, setForm] = useDraft<ActionForm>(toActionForm(current));
  const parsed = actionSchema(ctx).safeParse(form);
  const issue = (k: string) => (parsed.success ? undefined : parsed.error.issues.find((i) => i.path[0] === k)?.message);

  const apply = (next: ActionForm) => {
    setForm(next);
    if (!actionSchema(ctx).safeParse(next).success) return;
    const a = fromActionForm(next);
    const before = isObject(current) ? current : null;
    if (equal(a, before)) return;
    const value = a === null ? null : before ? diffPatch(before, a) : a;
    if (value === null && a !== null) return;
    pe.patch(`Set ${event} of ${c.id}`, c.id, { actions: { [event]: value } });
  };

  const options = [{ value: 'none', label: 'Nothing' }, ...eventActions(c.type, event).map((t) => ({ value: t, label: actionLabels[t] }))];
  const label = eventLabels[event] ?? event;
  return (
    <Stack gap={6}>
      <Select label={label} data={options} value={form.type || 'none'} allowDeselect={false} error={form.type ? undefined : problem}
        onChange={(v) => apply(withType(form, !v || v === 'none' ? '' : (v as ActionType), ctx))} />
      {(form.type === 'openModal' || form.type === 'closeModal') && (
        ctx.modals.length === 0 ? (
          <Text size="xs" c="red">There is no Modal in this page yet{c.type === 'Button' ? ': make one below' : ''}.</Text>
        ) : (
          <Select label="Modal" data={ctx.modals} value={form.modal || null} allowDeselect={false} error={issue('modal') ?? problem}
            onChange={(v) => v && apply({ ...form, modal: v })} />
        )
      )}
      {form.type === 'navigateTo' && (
        <Select label="Page" data={ctx.pages} value={form.page || null} allowDeselect={false} error={issue('page') ?? problem}
          onChange={(v) => v && apply({ ...form, page: v })} />
      )}
      {form.type === 'refresh' && (
        <Select label="Refresh" data={[{ value: 'page', label: 'The whole page' }, ...ctx.components.filter((id) => id !== c.id)]}
          value={form.target || 'page'} allowDeselect={false} error={issue('target') ?? problem}
          onChange={(v) => apply({ ...form, target: !v || v === 'page' ? '' : v })} />
      )}
      {form.type === 'deleteEntity' && (
        <TextInput label="Confirmation" placeholder="Delete this record?" value={form.confirm} error={issue('confirm') ?? problem}
          onChange={(e) => apply({ ...form, confirm: e.currentTarget.value })} />
      )}
    </Stack>
  );
}

/** FormModalMaker makes, in one action, a Modal with a Form of an entity type that the button opens. */
function FormModalMaker({ page, c }: { page: Page; c: PageComponent }) {
  const { doc } = useModel();
  const edit = useEdit();
  const [entity, setEntity] = useState<string | null>(() => defaultEntity(doc, page) ?? null);
  if (doc.entities.length === 0) return null;
  const chosen = entity && doc.entities.some((e) => e.name === entity) ? entity : (doc.entities[0]?.name ?? '');
  const make = () => edit(`Open a new form modal for ${chosen} from ${c.id}`, formModalEdits(doc, page, c.id, chosen).edits);
  return (
    <Paper withBorder radius="sm" p="xs" bg="gray.0">
      <Text size="xs" fw={600} mb={4}>Quick start</Text>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <Select label="Entity type of the form" size="xs" data={doc.entities.map((e) => e.name)} value={chosen} allowDeselect={false}
          onChange={setEntity} style={{ flex: 1 }} />
        <Button size="xs" variant="light" onClick={make}>Open a new form modal for {entityLabel(doc, chosen)}</Button>
      </Group>
    </Paper>
  );
}

function ChildrenEditor({ page, c, pe, onSelect }: { page: Page; c: PageComponent; pe: PageEdits; onSelect: (id: string) => void }) {
  const edit = useEdit();
  const kids = c.children ?? [];
  const ids = kids.map((k) => k.id);
  const reorder = (from: number, to: number) => {
    const order = moved(ids, from, to);
    if (order) edit(`Move ${ids[from] ?? ''} in ${c.id}`, [{ op: 'reorderComponents', page: page.name, parent: c.id, order }]);
  };
  const add = (type: (typeof componentTypes)[number]) => {
    const id = pe.addChild(c.id, type);
    if (id) onSelect(id);
  };
  return (
    <Stack gap={6}>
      <Divider label={`Inside ${c.id}`} labelPosition="left" />
      {kids.length === 0 && <Text size="xs" c="dimmed">Nothing inside yet.{c.type === 'Modal' ? ' A Modal usually holds a Form.' : ''}</Text>}
      {kids.map((k, i) => (
        <Group key={k.id} gap={4} wrap="nowrap">
          <Button variant="default" size="compact-sm" style={{ flex: 1, minWidth: 0 }} justify="flex-start" onClick={() => onSelect(k.id)}
            aria-label={`Edit ${k.type} ${k.id}`}>
            <Text span size="xs" fw={600} mr={6}>{k.type}</Text>
            <Text span size="xs" c="dimmed" truncate>{k.id} · {describe(k)}</Text>
          </Button>
          <ActionIcon variant="subtle" color="gray" size="sm" disabled={i === 0} onClick={() => reorder(i, i - 1)} aria-label={`Move ${k.id} up`}>↑</ActionIcon>
          <ActionIcon variant="subtle" color="gray" size="sm" disabled={i === kids.length - 1} onClick={() => reorder(i, i + 1)} aria-label={`Move ${k.id} down`}>↓</ActionIcon>
          <ActionIcon variant="subtle" color="red" size="sm" onClick={() => pe.remove(k.id)} aria-label={`Delete ${k.id}`}>✕</ActionIcon>
        </Group>
      ))}
      <Group gap="xs">
        {c.type === 'Modal' && kids.length === 0 && <Button size="xs" variant="light" onClick={() => add('Form')}>Add a form</Button>}
        <Menu withinPortal position="bottom-start">
          <Menu.Target>
            <Button size="xs" variant="default">Add inside {c.id}</Button>
          </Menu.Target>
          <Menu.Dropdown>
            {componentTypes.filter((t) => t !== 'Modal').map((t) => (
              <Menu.Item key={t} onClick={() => add(t)}>{typeInfo[t].label}</Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
        <Badge variant="light" color="gray" size="sm">{kids.length} inside</Badge>
      </Group>
    </Stack>
  );
}
