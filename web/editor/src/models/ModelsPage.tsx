// The list of models: search, sort, create (blank or from a template),
// duplicate, delete after a confirmation, import and export JSON files.

import { NetworkStatus } from '@apollo/client';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import {
  ActionIcon, Alert, AppShell, Badge, Button, Center, Container, FileButton, Group, Loader, Menu, Modal, Select, Stack,
  Table, Text, TextInput, Title, VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { errorMessage, toSaveError } from '../graphql/errors';
import { DELETE_MODEL, DUPLICATE_MODEL, EXPORT_MODEL, IMPORT_MODEL, MODELS } from '../graphql/operations';
import { modelName } from '../model/names';
import { download } from '../shell/download';
import { HeaderBar } from '../shell/Header';
import { NewModelDialog } from './NewModelDialog';
import { relativeTime } from './time';
import { IconDots } from '@tabler/icons-react';
import { LoadFailed } from '../shell/LoadFailed';

interface ModelRow {
  id: string;
  name: string;
  description: string;
  version: number;
  updatedAt: string | null;
  entities: { name: string }[];
}

type Sort = 'updated' | 'name';

interface ModelsData {
  models: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: ModelRow }[] };
}

/** Models per request (the server's most). */
const pageSize = 100;

/**
 * The most models loaded to sort them by time. The server lists them by
 * name, a page at a time, so sorting by time needs them all; beyond this
 * many, the list says the sort covers those loaded.
 */
const maxSorted = 1000;

/** The largest model file import reads. */
const maxImportBytes = 5 << 20;

export function ModelsPage() {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 200);
  const [sort, setSort] = useState<Sort>('updated');
  const [creating, create] = useDisclosure(false);
  const [duplicating, setDuplicating] = useState<ModelRow | null>(null);
  const [deleting, setDeleting] = useState<ModelRow | null>(null);
  const navigate = useNavigate();
  const apollo = useApolloClient();
  const { data, loading, error, refetch, fetchMore, networkStatus } = useQuery<ModelsData>(MODELS, {
    variables: { search: debounced || null, first: pageSize },
    notifyOnNetworkStatusChange: true,
  });
  const loadingMore = networkStatus === NetworkStatus.fetchMore;
  const [moreFailed, setMoreFailed] = useState(false);
  // The page being loaded after the one ending at this cursor, so that it is asked for once.
  const asked = useRef<string | null>(null);
  const more = useCallback(
    async (after: string) => {
      try {
        await fetchMore({
          variables: { after },
          updateQuery: (prev, { fetchMoreResult }) => ({
            models: { ...fetchMoreResult.models, edges: [...prev.models.edges, ...fetchMoreResult.models.edges] },
          }),
        });
        setMoreFailed(false);
      } catch (e) {
        setMoreFailed(true);
        notifications.show({ color: 'red', title: 'More models could not be loaded', message: errorMessage(e) });
      } finally {
        asked.current = null;
      }
    },
    [fetchMore],
  );
  const loaded = data?.models.edges.length ?? 0;
  const total = data?.models.totalCount ?? 0;
  const next = data?.models.pageInfo.hasNextPage ? data.models.pageInfo.endCursor : null;
  // Sorting by time needs every model: load the pages after the first, up to maxSorted.
  const loadingAll = sort === 'updated' && next !== null && loaded < maxSorted && !moreFailed;
  useEffect(() => {
    if (!loadingAll || !next || asked.current === next) return;
    asked.current = next;
    void more(next);
  }, [loadingAll, next, more]);
  const [importModel, importing] = useMutation(IMPORT_MODEL, { refetchQueries: ['Models'] });

  useEffect(() => {
    document.title = 'Models · Torque';
  }, []);

  // By name is the server's order; by time is sorted here, once all are loaded.
  const rows = useMemo(() => {
    const list = (data?.models.edges ?? []).map((e) => e.node);
    return sort === 'name' ? list : [...list].sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? ''));
  }, [data, sort]);

  const exportModel = async (name: string) => {
    try {
      const res = await apollo.mutate<{ exportModel: unknown }>({ mutation: EXPORT_MODEL, variables: { name } });
      download(`${name}.json`, JSON.stringify(res.data?.exportModel, null, 2) + '\n');
    } catch (e) {
      notifications.show({ color: 'red', title: `Export of ${name} failed`, message: errorMessage(e) });
    }
  };

  const importFile = async (file: File | null) => {
    if (!file) return;
    let doc: unknown;
    try {
      if (file.size > maxImportBytes) throw new Error(`the file is larger than ${maxImportBytes >> 20} MB`);
      doc = JSON.parse(await file.text());
      if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('the file does not hold a JSON object');
    } catch (e) {
      notifications.show({ color: 'red', title: `${file.name} cannot be imported`, message: e instanceof Error ? e.message : String(e) });
      return;
    }
    try {
      const res = await importModel({ variables: { document: doc } });
      const name = (res.data as { importModel?: { name: string } } | undefined)?.importModel?.name ?? '';
      notifications.show({ color: 'green', title: 'Model imported', message: `${name} is ready to edit.` });
      if (name) navigate(`/models/${encodeURIComponent(name)}/entities`);
    } catch (e) {
      const err = toSaveError(e);
      const detail = Object.entries(err.fields).slice(0, 4).map(([k, v]) => `${k}: ${v}`).join('; ');
      notifications.show({ color: 'red', title: `${file.name} was refused`, message: detail ? `${err.message} (${detail})` : err.message, autoClose: false });
    }
  };

  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <HeaderBar />
      </AppShell.Header>
      <AppShell.Main>
        <Container size="lg">
          <Group justify="space-between" mb="md" mt="xs">
            <Title order={1} size="h2">Models</Title>
            <Group gap="xs">
              <FileButton onChange={(f) => void importFile(f)} accept="application/json,.json">
                {(props) => <Button variant="default" loading={importing.loading} {...props}>Import</Button>}
              </FileButton>
              <Button onClick={create.open}>New model</Button>
            </Group>
          </Group>
          <Group mb="md" gap="sm" wrap="wrap">
            <TextInput aria-label="Search models" placeholder="Search models" value={search} style={{ flex: 1, minWidth: 200 }}
              onChange={(e) => setSearch(e.currentTarget.value)} />
            <Select aria-label="Sort by" value={sort} allowDeselect={false} w={180}
              data={[{ value: 'updated', label: 'Recently changed' }, { value: 'name', label: 'Name' }]}
              onChange={(v) => setSort((v as Sort | null) ?? 'updated')} />
          </Group>
          {error && !data ? (
            <LoadFailed what="The models" error={error} retry={refetch} />
          ) : loading && !data ? (
            <Center py="xl"><Loader aria-label="Loading models" /></Center>
          ) : rows.length === 0 ? (
            <Stack align="center" py={48} gap="xs">
              <Text fw={600}>{debounced ? `No model matches “${debounced}”` : 'No models yet'}</Text>
              <Text c="dimmed" size="sm">{debounced ? 'Try another search.' : 'Create one from nothing or from a template, or import a file.'}</Text>
              {!debounced && <Button mt="sm" onClick={create.open}>New model</Button>}
            </Stack>
          ) : (
            <Table.ScrollContainer minWidth={560}>
              <Table highlightOnHover verticalSpacing="sm" aria-label="Models">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Entities</Table.Th>
                    <Table.Th>Version</Table.Th>
                    <Table.Th>Changed</Table.Th>
                    <Table.Th><VisuallyHidden>Actions</VisuallyHidden></Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((m) => (
                    <Table.Tr key={m.id}>
                      <Table.Td>
                        <Text component={Link} to={`/models/${encodeURIComponent(m.name)}/entities`} fw={600} size="sm" c="indigo.7">
                          {m.name}
                        </Text>
                        {m.description && <Text size="xs" c="dimmed" lineClamp={1}>{m.description}</Text>}
                      </Table.Td>
                      <Table.Td><Badge variant="light" color="gray">{m.entities.length}</Badge></Table.Td>
                      <Table.Td><Text size="sm">v{m.version}</Text></Table.Td>
                      <Table.Td><Text size="sm" c="dimmed">{m.updatedAt ? relativeTime(m.updatedAt) : '—'}</Text></Table.Td>
                      <Table.Td ta="right">
                        <Menu position="bottom-end" withinPortal>
                          <Menu.Target>
                            <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${m.name}`}><IconDots size={16} /></ActionIcon>
                          </Menu.Target>
                          <Menu.Dropdown>
                            <Menu.Item component={Link} to={`/models/${encodeURIComponent(m.name)}/entities`}>Open</Menu.Item>
                            <Menu.Item onClick={() => setDuplicating(m)}>Duplicate…</Menu.Item>
                            <Menu.Item onClick={() => void exportModel(m.name)}>Export JSON</Menu.Item>
                            <Menu.Divider />
                            <Menu.Item color="red" onClick={() => setDeleting(m)}>Delete…</Menu.Item>
                          </Menu.Dropdown>
                        </Menu>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {loadingAll && (
            <Text size="sm" c="dimmed" ta="center" mt="md" role="status">Loading all {total} models to sort them by time…</Text>
          )}
          {next && !loadingAll && (
            <Stack align="center" gap={4} mt="md">
              {sort === 'updated' && (
                <Text size="sm" c="dimmed">Sorted by time among the {loaded} models loaded (the first by name, of {total}): search to narrow the list.</Text>
              )}
              <Button variant="default" loading={loadingMore} onClick={() => void more(next)}>
                Show more ({loaded} of {total})
              </Button>
            </Stack>
          )}
        </Container>
        <NewModelDialog opened={creating} onClose={create.close} />
        <DuplicateDialog key={`dup-${duplicating?.id ?? ''}`} model={duplicating} onClose={() => setDuplicating(null)} />
        <DeleteDialog key={`del-${deleting?.id ?? ''}`} model={deleting} onClose={() => setDeleting(null)} />
      </AppShell.Main>
    </AppShell>
  );
}

function DuplicateDialog({ model, onClose }: { model: ModelRow | null; onClose: () => void }) {
  // Mounted anew for each model (its key), so the state starts from it.
  const [name, setName] = useState(model ? `${model.name}-copy` : '');
  const [problem, setProblem] = useState<string | null>(null);
  const [duplicate, { loading }] = useMutation(DUPLICATE_MODEL, { refetchQueries: ['Models'] });
  const submit = async () => {
    if (!model) return;
    const r = modelName.safeParse(name);
    if (!r.success) {
      setProblem(r.error.issues[0]?.message ?? 'Invalid name');
      return;
    }
    try {
      await duplicate({ variables: { name: model.name, newName: r.data } });
      notifications.show({ color: 'green', title: 'Model duplicated', message: `${r.data} is a copy of ${model.name}.` });
      onClose();
    } catch (e) {
      const err = toSaveError(e);
      setProblem(err.fields.newName ?? err.fields.name ?? err.message);
    }
  };
  return (
    <Modal opened={model !== null} onClose={onClose} title={`Duplicate ${model?.name ?? ''}`}>
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate>
        <Stack>
          <TextInput label="Name of the copy" value={name} error={problem} data-autofocus
            onChange={(e) => { setName(e.currentTarget.value); setProblem(null); }} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={loading}>Duplicate</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DeleteDialog({ model, onClose }: { model: ModelRow | null; onClose: () => void }) {
  const [remove, { loading }] = useMutation(DELETE_MODEL, { refetchQueries: ['Models'] });
  const [problem, setProblem] = useState<string | null>(null);
  const confirm = async () => {
    if (!model) return;
    try {
      await remove({ variables: { name: model.name } });
      notifications.show({ color: 'green', title: 'Model deleted', message: `${model.name} is gone.` });
      onClose();
    } catch (e) {
      setProblem(errorMessage(e));
    }
  };
  return (
    <Modal opened={model !== null} onClose={onClose} title={`Delete ${model?.name ?? ''}?`}>
      <Stack>
        <Text size="sm">
          The model and its versions are deleted. The server refuses while apps are made from it.
        </Text>
        {problem && <Alert color="red" role="alert">{problem}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button color="red" loading={loading} onClick={() => void confirm()}>Delete</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
