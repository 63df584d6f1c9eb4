// The designer of one page: its settings (name, route, title), the canvas
// of its components on the 12-column grid with the palette, the inspector
// of the selected component (?component=ID in the URL), and the live
// preview rendered by the TorqueApp.

import { Alert, Badge, Button, Collapse, Grid, Group, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import type { Page } from '../../model/types';
import { useEdit, useModel, useProblems, useWorkspace } from '../context';
import { EditingBadge } from '../presence';
import { useDraft } from '../useDraft';
import { Canvas } from './Canvas';
import { Inspector } from './Inspector';
import { pageSettingsSchema, renamePageEdits, routeOf, suggestRoute } from './pageRules';
import { placeProblems } from './preview';
import { PagePreview } from './Preview';
import { findComponent } from '../../model/tree';

export function PageDesigner() {
  const { name } = useWorkspace();
  const pageName = useParams().page ?? '';
  const { doc } = useModel();
  const page = doc.pages.find((p) => p.name === pageName);
  const navigate = useNavigate();
  if (!page) {
    return (
      <Alert color="gray" title={`No page ${pageName}`}>
        <Stack gap="xs">
          <Text size="sm">It was renamed or removed, perhaps by someone else.</Text>
          <Button size="xs" variant="default" w="fit-content" onClick={() => navigate(`/models/${encodeURIComponent(name)}/pages`)}>
            All pages
          </Button>
        </Stack>
      </Alert>
    );
  }
  return <Designer key={page.name} page={page} />;
}

function Designer({ page }: { page: Page }) {
  const { setEditing } = useWorkspace();
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('component');
  const selected = selectedId ? findComponent(page, selectedId) : undefined;
  const problems = placeProblems(page, useProblems(`pages/${page.name}`));
  // On wide screens the preview sits under the layout, beside the inspector.
  const wide = useMediaQuery('(min-width: 88em)') ?? false;
  const [settings, setSettings] = useState(Object.keys(problems.page).length > 0);
  const select = (id: string | null) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (id) next.set('component', id);
      else next.delete('component');
      return next;
    }, { replace: true });

  const editing = selected ? `pages/${page.name}/components/${selected.id}` : settings ? `pages/${page.name}` : null;
  useEffect(() => {
    setEditing(editing);
  }, [setEditing, editing]);
  useEffect(() => () => setEditing(null), [setEditing]);

  return (
    <Stack gap="md">
      <PageHeader page={page} problems={problems.page} open={settings || Object.keys(problems.page).length > 0} onToggle={() => setSettings((o) => !o)} />
      {Object.keys(problems.other).length > 0 && (
        <Alert color="red" title="The server refused parts of this page">
          {Object.entries(problems.other).map(([k, v]) => <Text key={k} size="sm">{k}: {v}</Text>)}
        </Alert>
      )}
      <Grid gutter="md" align="flex-start">
        <Grid.Col span={{ base: 12, lg: 7, xl: 8 }}>
          <Stack gap="md">
            <Canvas page={page} selected={selected?.id ?? null} onSelect={select} problems={problems.components} />
            {wide && <PagePreview page={page} />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5, xl: 4 }}>
          <Inspector page={page} component={selected} missing={selectedId && !selected ? selectedId : null} onSelect={select}
            problems={selected ? (problems.components[selected.id] ?? {}) : {}} />
        </Grid.Col>
      </Grid>
      {!wide && <PagePreview page={page} />}
    </Stack>
  );
}

function PageHeader({ page, problems, open, onToggle }: { page: Page; problems: Record<string, string>; open: boolean; onToggle: () => void }) {
  const { name, presence } = useWorkspace();
  const edit = useEdit();
  const navigate = useNavigate();
  const [confirm, setConfirm] = useState(false);
  const count = page.components?.length ?? 0;
  return (
    <Paper withBorder p="md" radius="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Title order={2} size="h3">{page.name}</Title>
            <EditingBadge presence={presence} path={`pages/${page.name}`} />
          </Group>
          <Group gap="xs">
            <Badge variant="light" color="gray" tt="none">{routeOf(page)}</Badge>
            <Text size="sm" c="dimmed">{typeof page.title === 'string' ? page.title : page.name} · {count} component{count === 1 ? '' : 's'}</Text>
          </Group>
        </Stack>
        <Group gap="xs" wrap="nowrap">
          <Button variant={open ? 'light' : 'default'} size="xs" onClick={onToggle} aria-expanded={open}>Page settings</Button>
          <Button color="red" variant="subtle" size="xs" onClick={() => setConfirm(true)}>Delete page</Button>
        </Group>
      </Group>
      <Collapse in={open}>
        <PageSettingsForm key={page.name} page={page} problems={problems}
          onRenamed={(n) => navigate(`/models/${encodeURIComponent(name)}/pages/${encodeURIComponent(n)}`, { replace: true })} />
      </Collapse>
      <Modal opened={confirm} onClose={() => setConfirm(false)} title={`Delete page ${page.name}?`}>
        <Stack>
          <Text size="sm">The page and its {count} component{count === 1 ? '' : 's'} go. Undo brings them back.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(false)}>Cancel</Button>
            <Button color="red" onClick={() => {
              setConfirm(false);
              if (edit(`Delete page ${page.name}`, [{ op: 'removePage', page: page.name }])) navigate(`/models/${encodeURIComponent(name)}/pages`);
            }}>Delete</Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}

/**
 * PageSettingsForm edits the name (applied when the input is left or Enter
 * is pressed, with the actions that go to the page), the route and the
 * title (applied as typed when valid).
 */
function PageSettingsForm({ page, problems, onRenamed }: { page: Page; problems: Record<string, string>; onRenamed: (name: string) => void }) {
  const { doc } = useModel();
  const edit = useEdit();
  const schema = useMemo(() => pageSettingsSchema(doc, page.name), [doc, page.name]);
  const route = typeof page.route === 'string' ? page.route : '';
  const title = typeof page.title === 'string' ? page.title : '';
  // The inputs follow the page as others (or undo) change it.
  const [draft, setDraft] = useDraft({ name: page.name, route, title });
  const result = schema.safeParse(draft);
  const issue = (k: string) => (result.success ? undefined : result.error.issues.find((i) => i.path[0] === k)?.message);

  const rename = () => {
    const n = draft.name.trim();
    if (n === page.name || issue('name')) return;
    if (edit(`Rename page ${page.name} to ${n}`, renamePageEdits(doc, page.name, n))) onRenamed(n);
  };
  const set = (k: 'route' | 'title', v: string) => {
    const next = { ...draft, [k]: v };
    setDraft(next);
    const r = schema.safeParse({ ...next, name: page.name });
    if (!r.success && r.error.issues.some((i) => i.path[0] === k)) return;
    const value = v.trim() === '' ? null : k === 'route' ? v.trim() : v;
    edit(`Set ${k} of page ${page.name}`, [{ op: 'updatePage', page: page.name, value: { [k]: value } }], { coalesce: true });
  };

  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate aria-label={`Settings of page ${page.name}`}>
      <Group grow align="flex-start" mt="md">
        <TextInput label="Page name" value={draft.name} error={issue('name') ?? problems.name}
          onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })} onBlur={rename}
          onKeyDown={(e) => {
            if (e.key === 'Enter') rename();
            if (e.key === 'Escape') setDraft({ ...draft, name: page.name });
          }} />
        <TextInput label="Route" value={draft.route} placeholder={suggestRoute(page.name)} error={issue('route') ?? problems.route}
          onChange={(e) => set('route', e.currentTarget.value)} />
        <TextInput label="Title" value={draft.title} placeholder={page.name} error={issue('title') ?? problems.title}
          onChange={(e) => set('title', e.currentTarget.value)} />
      </Group>
    </form>
  );
}
