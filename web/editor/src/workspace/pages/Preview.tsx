// The live preview of a page, rendered by the TorqueApp's own renderer
// (ComponentGrid from torque-app, in the PageContext and runtime it needs)
// from the page as the editor holds it, saved or not. Its data comes from
// an app made from the model, which the builder picks; without one the
// components render without data. A page that cannot be rendered
// mid-edit shows why, and the editor goes on.

import { useQuery } from '@apollo/client/react';
import { ActionIcon, Alert, Badge, Box, Group, Paper, Select, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Component as ReactComponent, useCallback, useLayoutEffect, useMemo, useState, type ErrorInfo, type ReactNode } from 'react';
import { ComponentGrid, modalAfter, PageContext, RuntimeProvider, type Action, type ActionContext, type OpenModal, type Page as AppPage, type PageLink, type PageState } from 'torque-app';
import { useSigned } from '../../auth/Session';
import { MODEL_APPS } from '../../graphql/operations';
import type { Page } from '../../model/types';
import { useModel, useWorkspace } from '../context';
import type { ModelDoc } from '../../model/types';
import { noApp, offlineFetch } from './offlineRpc';
import { previewLinks, previewPage } from './preview';
import { IconRefresh } from '@tabler/icons-react';

interface AppsData {
  model: { id: string; apps: { name: string }[] } | null;
}

const none = '\u0000none';

export function PagePreview({ page }: { page: Page }) {
  const { name } = useWorkspace();
  const { doc } = useModel();
  const { user, signOut, signedOut } = useSigned();
  const apps = useQuery<AppsData>(MODEL_APPS, { variables: { name }, fetchPolicy: 'cache-and-network' });
  const list = apps.data?.model?.apps.map((a) => a.name) ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const app = chosen === none || (chosen !== null && list.includes(chosen)) ? chosen : (list[0] ?? none);
  const shown = useMemo(() => previewPage(doc, page), [doc, page]);
  const links = useMemo(() => previewLinks(doc), [doc]);
  const appName = app === none ? noApp : app;

  // Without an app, the components' calls are answered from the document.
  const [latest] = useState(() => new Latest(doc));
  useLayoutEffect(() => latest.set(doc), [latest, doc]);
  const [rpcFetch] = useState(() => offlineFetch(() => latest.get()));

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Preview">
      <Group justify="space-between" mb="sm" wrap="wrap" gap="xs">
        <Group gap="xs">
          <Title order={3} size="h4">Preview</Title>
          <Badge variant="dot" color="teal" size="sm">live</Badge>
        </Group>
        <Group gap="xs" wrap="nowrap">
          <Select size="xs" label="Data from" w={220} allowDeselect={false} value={app}
            data={[...list.map((a) => ({ value: a, label: `App ${a}` })), { value: none, label: 'No data' }]}
            onChange={(v) => setChosen(v)} styles={{ root: { display: 'flex', alignItems: 'center', gap: 8 }, label: { whiteSpace: 'nowrap' } }} />
          <Tooltip label="Look for apps again">
            <ActionIcon variant="subtle" color="gray" aria-label="Look for apps again" loading={apps.loading} onClick={() => void apps.refetch()}><IconRefresh size={16} /></ActionIcon>
          </Tooltip>
        </Group>
      </Group>
      {apps.error && <Alert color="red" mb="sm" title="The apps of this model could not be read">{apps.error.message}</Alert>}
      {!apps.loading && list.length === 0 && (
        <Alert color="blue" mb="sm" p="xs">
          <Text size="sm">Create an app from this model to see its data. Until then the preview shows no records.</Text>
        </Alert>
      )}
      <Box style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8, overflow: 'hidden' }}>
        <Group px="sm" py={6} gap="xs" bg="gray.0" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }} wrap="nowrap">
          <Group gap={4} aria-hidden>
            {['red', 'yellow', 'green'].map((c) => <Box key={c} w={9} h={9} style={{ borderRadius: 9, background: `var(--mantine-color-${c}-4)` }} />)}
          </Group>
          <Text size="xs" c="dimmed" ff="monospace" truncate>/app/{appName || '…'}{shown.route}</Text>
        </Group>
        <Box p="md">
          <Text fw={700} size="lg" mb="sm">{shown.title}</Text>
          <RuntimeProvider user={user} onUnauthorized={signedOut} signOut={signOut} fetch={rpcFetch}>
            <PreviewBoundary resetKey={JSON.stringify(shown)}>
              <Rendered app={appName} page={shown} links={links} />
            </PreviewBoundary>
          </RuntimeProvider>
          {shown.components.length === 0 && <Text size="sm" c="dimmed" ta="center" py="lg">Nothing to show yet: add components to the page.</Text>}
        </Box>
      </Box>
    </Paper>
  );
}

/** Rendered is the page in the PageContext the components read, with the actions the preview can run. */
function Rendered({ app, page, links }: { app: string; page: AppPage; links: PageLink[] }) {
  const [modal, setModal] = useState<OpenModal | null>(null);
  const [version, setVersion] = useState(0);
  const bumpData = useCallback(() => setVersion((v) => v + 1), []);
  const run = useCallback(
    (action: Action | undefined, ctx: ActionContext = {}) => {
      if (!action) return;
      switch (action.type) {
        case 'openModal':
        case 'closeModal':
          setModal((m) => modalAfter(m, action, ctx.entityId));
          break;
        case 'navigateTo':
          notifications.show({ title: 'Go to a page', message: `In the app, this opens the page ${action.page ?? ''}.` });
          break;
        case 'refresh':
          bumpData();
          break;
        case 'submitForm':
        case 'deleteEntity':
          break;
      }
    },
    [bumpData],
  );
  const state = useMemo<PageState>(
    () => ({ app, page, pages: links, params: {}, modal, dataVersion: () => version, bumpData, run }),
    [app, page, links, modal, version, bumpData, run],
  );
  return (
    <PageContext.Provider value={state}>
      <ComponentGrid components={page.components} />
    </PageContext.Provider>
  );
}

interface BoundaryProps {
  resetKey: string;
  children: ReactNode;
}

/** PreviewBoundary shows why a page cannot be rendered, and tries again when the page changes. */
class PreviewBoundary extends ReactComponent<BoundaryProps, { error: Error | null; key: string }> {
  state = { error: null as Error | null, key: this.props.resetKey };

  static getDerivedStateFromProps(props: BoundaryProps, state: { error: Error | null; key: string }) {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    console.warn('the page preview failed', error, info.componentStack);
  }

  render() {
    if (this.state.error) {
      return (
        <Alert color="orange" title="This page cannot be previewed as it is">
          <Text size="sm">{this.state.error.message}</Text>
          <Text size="xs" c="dimmed" mt={4}>The preview comes back once the page can be rendered; the editor keeps working meanwhile.</Text>
        </Alert>
      );
    }
    return this.props.children;
  }
}

/**
 * Latest holds the document the preview's calls are answered from: the one
 * last rendered. It is not a ref because handing a ref's reader to
 * offlineFetch in the state initializer trips the hook rules ("Cannot
 * access refs during render"), although the reader only runs later.
 */
class Latest {
  constructor(private doc: ModelDoc) {}
  get(): ModelDoc {
    return this.doc;
  }
  set(doc: ModelDoc): void {
    this.doc = doc;
  }
}
