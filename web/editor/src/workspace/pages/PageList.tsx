// The list of a model's pages: open one, reorder them (drag the handle, or
// from the keyboard: focus it, Space, arrows, Space; or the menu), delete
// one after confirming, and "Add page" (name, route made from the name,
// title).

import { zodResolver } from '@hookform/resolvers/zod';
import { ActionIcon, Button, Group, Menu, Modal, NavLink, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { NavLink as RouterLink, useNavigate } from 'react-router-dom';
import type { JSONValue, Page } from '../../model/types';
import { useEdit, useModel, useWorkspace } from '../context';
import { EditingBadge } from '../presence';
import { DragHandle, SortableList, moved, useSortableRow } from '../SortableList';
import { pageFromSettings, pageSettingsSchema, routeOf, suggestRoute, type PageSettings } from './pageRules';
import { IconDots } from '@tabler/icons-react';

export function PageList() {
  const { name } = useWorkspace();
  const { doc } = useModel();
  const edit = useEdit();
  const [adding, setAdding] = useState(false);
  const [confirm, setConfirm] = useState<string | null>(null);
  const navigate = useNavigate();
  const names = doc.pages.map((p) => p.name);
  const base = `/models/${encodeURIComponent(name)}/pages`;

  const move = (from: number, to: number) => {
    const order = moved(names, from, to);
    if (order) edit(`Move page ${names[from] ?? ''}`, [{ op: 'reorderPages', order }]);
  };
  const remove = (page: string) => {
    setConfirm(null);
    if (edit(`Delete page ${page}`, [{ op: 'removePage', page }])) navigate(base);
  };

  return (
    <Stack gap="xs">
      <Title order={2} size="h4">Pages</Title>
      {doc.pages.length === 0 && <Text size="sm" c="dimmed">No pages yet.</Text>}
      <nav aria-label="Pages of the model">
        <SortableList ids={names} onMove={move}>
          {doc.pages.map((p, i) => (
            <PageRow key={p.name} page={p} index={i} count={names.length} to={`${base}/${encodeURIComponent(p.name)}`}
              move={move} onDelete={() => setConfirm(p.name)} />
          ))}
        </SortableList>
      </nav>
      <Button variant="light" onClick={() => setAdding(true)}>Add page</Button>
      <AddPageDialog opened={adding} onClose={() => setAdding(false)}
        onAdded={(page) => navigate(`${base}/${encodeURIComponent(page)}`)} />
      <Modal opened={confirm !== null} onClose={() => setConfirm(null)} title={`Delete page ${confirm ?? ''}?`}>
        <Stack>
          <Text size="sm">The page and its components go. Undo brings them back.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(null)}>Cancel</Button>
            <Button color="red" onClick={() => confirm && remove(confirm)}>Delete</Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function PageRow({ page, index, count, to, move, onDelete }: {
  page: Page; index: number; count: number; to: string; move: (from: number, to: number) => void; onDelete: () => void;
}) {
  const { presence } = useWorkspace();
  const { setRow, style, handle } = useSortableRow(page.name);
  const title = typeof page.title === 'string' && page.title !== page.name ? page.title : null;
  return (
    <Group ref={setRow} style={style} gap={2} wrap="nowrap" align="center">
      <DragHandle handle={handle} label={`Reorder page ${page.name}`} />
      <NavLink component={RouterLink} to={to} style={{ flex: 1, minWidth: 0 }}
        label={<Group gap={6} wrap="nowrap"><Text size="sm" fw={500} truncate>{page.name}</Text><EditingBadge presence={presence} path={`pages/${page.name}`} /></Group>}
        description={<Text size="xs" c="dimmed" truncate>{routeOf(page)}{title ? ` · ${title}` : ''}</Text>} />
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="subtle" color="gray" aria-label={`Actions for page ${page.name}`}><IconDots size={16} /></ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item disabled={index === 0} onClick={() => move(index, index - 1)}>Move up</Menu.Item>
          <Menu.Item disabled={index === count - 1} onClick={() => move(index, index + 1)}>Move down</Menu.Item>
          <Menu.Divider />
          <Menu.Item color="red" onClick={onDelete}>Delete</Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </Group>
  );
}

function AddPageDialog({ opened, onClose, onAdded }: { opened: boolean; onClose: () => void; onAdded: (page: string) => void }) {
  const { doc } = useModel();
  const edit = useEdit();
  const schema = useMemo(() => pageSettingsSchema(doc), [doc]);
  const form = useForm<PageSettings>({ resolver: zodResolver(schema), defaultValues: { name: '', route: '', title: '' } });
  const { errors } = form.formState;
  const typedName = useWatch({ control: form.control, name: 'name' });
  // The route follows the name until the builder types one.
  const [routeTouched, setRouteTouched] = useState(false);
  const close = () => {
    form.reset();
    setRouteTouched(false);
    onClose();
  };
  const submit = form.handleSubmit((v) => {
    const page = pageFromSettings(v);
    if (edit(`Add page ${page.name}`, [{ op: 'addPage', value: page as unknown as JSONValue }])) {
      close();
      onAdded(page.name);
    }
  });
  const nameField = form.register('name', {
    onChange: (e: { target: { value: string } }) => {
      if (!routeTouched) form.setValue('route', suggestRoute(e.target.value));
    },
  });
  return (
    <Modal opened={opened} onClose={close} title="Add page">
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Add page">
        <Stack gap="sm">
          <TextInput label="Name" placeholder="Tasks" withAsterisk data-autofocus {...nameField} error={errors.name?.message} />
          <TextInput label="Route" placeholder="/tasks" description='Where the page is in the app; "{id}" makes it the page of one record'
            {...form.register('route', { onChange: () => setRouteTouched(true) })} error={errors.route?.message} />
          <TextInput label="Title" placeholder={typedName || 'Same as the name'} description="Shown at the top of the page and in the navigation"
            {...form.register('title')} error={errors.title?.message} />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit">Add page</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
