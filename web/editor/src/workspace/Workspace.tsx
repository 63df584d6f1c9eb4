// A model's workspace at /models/{model}/{section}: the model loaded into
// a session, followed live, with the save status, undo and redo, and the
// sections of the model.

import { useApolloClient, useQuery, useSubscription } from '@apollo/client/react';
import type { ApolloClient } from '@apollo/client';
import { ActionIcon, Alert, Anchor, AppShell, Breadcrumbs, Burger, Button, Center, Group, Loader, NavLink, Stack, Text, Tooltip } from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { Suspense, useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { Link, NavLink as RouterLink, Navigate, Route, Routes, useNavigate, useParams } from 'react-router-dom';
import { errorMessage } from '../graphql/errors';
import { MODEL_CHANGED, MODEL_DOCUMENT } from '../graphql/operations';
import { apolloTransport } from '../graphql/transport';
import { ModelSession } from '../model/session';
import type { Change, ModelDoc } from '../model/types';
import { Logo, UserMenu } from '../shell/Header';
import { ConflictDialog } from './ConflictDialog';
import { SaveStatus } from './SaveStatus';
import { sessionPendingStore } from './pendingStore';
import { useSigned } from '../auth/Session';
import { notifications } from '@mantine/notifications';
import { PresenceBar, usePresence } from './presence';
import { WorkspaceContext, type Workspace as WorkspaceValue } from './context';
import { sections } from './sections';
import { IconArrowBackUp, IconArrowForwardUp } from '@tabler/icons-react';

interface ModelData {
  model: { id: string; name: string; version: number; document: ModelDoc } | null;
}

export function Workspace() {
  const name = useParams().model ?? '';
  const { data, loading, error, refetch } = useQuery<ModelData>(MODEL_DOCUMENT, { variables: { name }, fetchPolicy: 'network-only' });
  const model = data?.model;
  if (error && !model) {
    return (
      <Center h="100vh" p="md">
        <Alert color="red" title={`Model ${name} could not be loaded`} role="alert" maw={520}>
          <Stack gap="xs">
            <Text size="sm">{errorMessage(error)}</Text>
            <Group gap="xs">
              <Button size="xs" variant="light" color="red" onClick={() => void refetch()}>Try again</Button>
              <Button size="xs" variant="default" component={Link} to="/">All models</Button>
            </Group>
          </Stack>
        </Alert>
      </Center>
    );
  }
  if (loading || !data) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading the model" />
      </Center>
    );
  }
  if (!model) {
    return (
      <Center h="100vh" p="md">
        <Stack align="center">
          <Text fw={600}>There is no model named {name}.</Text>
          <Button component={Link} to="/">All models</Button>
        </Stack>
      </Center>
    );
  }
  return <Loaded key={model.id} name={model.name} version={model.version} document={model.document} />;
}

function Loaded({ name, version, document: doc }: { name: string; version: number; document: ModelDoc }) {
  const apollo = useApolloClient();
  const navigate = useNavigate();
  const { signedOut } = useSigned();
  const [session] = useState(
    () => new ModelSession(name, { version, document: doc }, apolloTransport(apollo), { store: sessionPendingStore, onSignedOut: signedOut }),
  );
  const state = useSyncExternalStore(session.subscribe, session.getState);
  const [deleted, setDeleted] = useState(false);
  const [navOpen, nav] = useDisclosure(false);
  // Live while shown; actions a closed session on this model kept (the
  // sign-in ended, the tab reloaded) come back, merged with what changed.
  useEffect(() => {
    void session.adoptStored().then((n) => {
      if (n > 0) notifications.show({ title: 'Unsaved changes restored', message: `${n} change${n > 1 ? 's' : ''} made before are being saved.` });
    });
    session.open();
    return () => session.close();
  }, [session]);

  // Live: other builders' versions (and the echo of ours, which the session
  // ignores). A new Follow after the subscription ended, later each time.
  const [round, setRound] = useState(0);
  const retry = useRef<{ timer?: ReturnType<typeof setTimeout>; failures: number }>({ failures: 0 });
  useEffect(() => () => clearTimeout(retry.current.timer), []);
  const ended = useCallback(() => {
    const r = retry.current;
    clearTimeout(r.timer);
    r.timer = setTimeout(() => setRound((n) => n + 1), Math.min(30000, 1000 * 2 ** Math.min(r.failures++, 5)));
  }, []);
  const live = useCallback(() => {
    retry.current.failures = 0;
  }, []);
  const follow = <Follow key={round} name={name} session={session} onDeleted={() => setDeleted(true)} onEnded={ended} onLive={live} />;

  useHotkeys([
    ['mod+Z', () => session.undo()],
    ['mod+shift+Z', () => session.redo()],
    ['mod+Y', () => session.redo()],
  ]);
  // Ctrl+S saves now, from inside an input too (instead of the browser's "Save page").
  useHotkeys([['mod+S', () => session.flush()]], []);

  // Keep unsaved changes for this tab, and warn, before it is closed or reloaded.
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      session.persist();
      if (session.hasUnsaved) e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [session]);

  useEffect(() => {
    document.title = `${name} · Torque`;
  }, [name]);

  const { presence, setEditing, follower } = usePresence(name);
  const value = useMemo<WorkspaceValue>(() => ({ name, session, setEditing, presence }), [name, session, setEditing, presence]);

  if (deleted) {
    return (
      <Center h="100vh" p="md">
        <Stack align="center">
          <Text fw={600}>Model {name} was deleted.</Text>
          <Button onClick={() => navigate('/')}>All models</Button>
        </Stack>
      </Center>
    );
  }

  return (
    <WorkspaceContext.Provider value={value}>
      {follow}
      {follower}
      <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpen } }} padding="md">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
            <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
              <Burger opened={navOpen} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label="Sections" />
              <Logo />
              <Breadcrumbs visibleFrom="xs" separator="/">
                <Anchor component={Link} to="/" size="sm" c="dimmed">Models</Anchor>
                <Text size="sm" fw={600} truncate>{name}</Text>
              </Breadcrumbs>
              <SaveStatus status={state.status} version={state.version} />
            </Group>
            <Group gap={6} wrap="nowrap">
              <PresenceBar presence={presence} />
              <Tooltip label={state.undoLabel ? `Undo ${state.undoLabel} (Ctrl+Z)` : 'Nothing to undo'}>
                <ActionIcon variant="subtle" color="gray" aria-label="Undo" disabled={!state.canUndo} onClick={() => session.undo()}><IconArrowBackUp size={18} /></ActionIcon>
              </Tooltip>
              <Tooltip label={state.redoLabel ? `Redo ${state.redoLabel} (Ctrl+Shift+Z)` : 'Nothing to redo'}>
                <ActionIcon variant="subtle" color="gray" aria-label="Redo" disabled={!state.canRedo} onClick={() => session.redo()}><IconArrowForwardUp size={18} /></ActionIcon>
              </Tooltip>
              <UserMenu />
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" aria-label="Model sections">
          {sections.map((s) => (
            <NavLink key={s.path} component={RouterLink} to={s.path} label={s.label} onClick={nav.close} leftSection={<s.icon size={18} stroke={1.6} />} />
          ))}
        </AppShell.Navbar>
        <AppShell.Main>
          {state.refusal && (
            <Alert color="red" title={`Not saved: ${state.refusal.label}`} withCloseButton onClose={() => session.dismissRefusal()}
              mb="md" role="alert" closeButtonLabel="Dismiss">
              {state.refusal.message}
            </Alert>
          )}
          <Suspense fallback={<Center py="xl"><Loader aria-label="Loading the section" /></Center>}>
            <Routes>
              <Route index element={<Navigate to="entities" replace />} />
              {sections.map((s) => (
                <Route key={s.path} path={`${s.path}/*`} element={<s.element />} />
              ))}
              <Route path="*" element={<Navigate to="entities" replace />} />
            </Routes>
          </Suspense>
        </AppShell.Main>
      </AppShell>
      {state.conflict && <ConflictDialog conflict={state.conflict} onResolve={(c) => session.resolve(c)} />}
    </WorkspaceContext.Provider>
  );
}

interface ModelEvent {
  seq: number;
  kind: string;
  version: number;
  changes: Change[];
  truncated: boolean;
  model: { version: number; document: ModelDoc } | null;
}

/**
 * Follow subscribes to the model's changes and hands them to the session.
 * Once subscribed it reads the model, so that a version saved before the
 * subscription began is not missed (the session ignores what it has). When
 * the subscription ends (events missed, RESYNC, the connection lost),
 * onEnded mounts a new Follow.
 */
function Follow({ name, session, onDeleted, onEnded, onLive }: {
  name: string;
  session: ModelSession;
  onDeleted: () => void;
  onEnded: () => void;
  onLive: () => void;
}) {
  const apollo: ApolloClient = useApolloClient();
  useEffect(() => {
    let live = true;
    apolloTransport(apollo)
      .load(name)
      .then((m) => live && session.remote(m, null))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [apollo, name, session]);
  useSubscription<{ modelChanged: ModelEvent }>(MODEL_CHANGED, {
    variables: { name },
    fetchPolicy: 'no-cache',
    onData: ({ data: { data } }) => {
      const ev = data?.modelChanged;
      if (!ev) return;
      onLive();
      if (ev.kind === 'model.deleted') onDeleted();
      else if (ev.model) session.remote({ version: ev.model.version, document: ev.model.document }, ev.truncated ? null : ev.changes);
    },
    onError: onEnded,
    onComplete: onEnded,
  });
  return null;
}
