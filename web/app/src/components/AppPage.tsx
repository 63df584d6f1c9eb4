import { Alert, AppShell, Burger, Button, Center, Group, Loader, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { fillRoute, hasParams, matchRoute, navLinks } from '../layout/route';
import type { Action, DataChanged, Ended, PageResult, Subscribed } from '../layout/types';
import { RpcError } from '../rpc/client';
import { useRuntime } from '../runtime';
import { PageContext, type ActionContext, type OpenModal, type PageState } from './PageContext';
import { ComponentGrid } from './Renderer';

type Load = { status: 'loading' } | { status: 'ok'; result: PageResult } | { status: 'error'; error: string };

/**
 * AppPage is the app at /app/{app}/{route...}: it loads the page of the
 * route (the first page when there is none, whose route then replaces the
 * URL), follows it live over the WebSocket, and renders it in the shell.
 * A route with {id} ("/tasks/{id}") is the page of one entity: moving
 * between entities of one page keeps the page and changes its params.
 */
export function AppPage() {
  const { rpc, socket, user, signOut, signedOut } = useRuntime();
  const urlParams = useParams();
  const app = urlParams.app ?? '';
  const rest = (urlParams['*'] ?? '').replace(/\/+$/, '');
  const route = rest ? `/${rest}` : '';
  const navigate = useNavigate();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [modal, setModal] = useState<OpenModal | null>(null);
  const [versions, setVersions] = useState<{ all: number; byType: Record<string, number> }>({ all: 0, byType: {} });
  const [navOpen, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  const current = load.status === 'ok' ? load.result : null;
  const routeParams = current?.page && current.app === app ? (route === '' ? {} : matchRoute(current.page.route, route)) : null;
  const shown = routeParams !== null;

  // Another route closes the open modal.
  const [modalRoute, setModalRoute] = useState(route);
  if (modalRoute !== route) {
    setModalRoute(route);
    setModal(null);
  }

  // Load the page of the route, unless it is the one shown.
  useEffect(() => {
    if (shown) return;
    let live = true;
    rpc
      .call<PageResult>('loadPage', route ? { app, page: route } : { app })
      .then((result) => {
        if (!live) return;
        setLoad({ status: 'ok', result });
        if (!route && result.page) navigate(`/${app}${result.page.route}`, { replace: true });
      })
      .catch((e: unknown) => {
        if (!live) return;
        setLoad({ status: 'error', error: e instanceof RpcError || e instanceof Error ? e.message : String(e) });
      });
    return () => {
      live = false;
    };
  }, [rpc, app, route, navigate, shown]);

  const pageName = current?.page?.name ?? '';
  const bumpData = useCallback((type?: string) => {
    setVersions((v) =>
      type ? { ...v, byType: { ...v.byType, [type]: (v.byType[type] ?? 0) + 1 } } : { ...v, all: v.all + 1 },
    );
  }, []);

  // Follow the page: layout changes and data changes, subscribing anew
  // after every reconnection (and catching up on what was missed).
  const subscription = useRef<string | null>(null);
  useEffect(() => {
    if (!pageName) return;
    let live = true;
    let first = true;
    const subscribe = () => {
      socket
        .call<Subscribed>('subscribe', { app, page: pageName })
        .then((res) => {
          if (!live) {
            socket.notify('unsubscribe', { subscription: res.subscription });
            return;
          }
          subscription.current = res.subscription;
          setLoad((l) => (l.status === 'ok' && l.result.version !== res.version ? { status: 'ok', result: res } : l));
          if (!first) bumpData();
          first = false;
        })
        .catch((e: unknown) => {
          if (e instanceof RpcError && e.torqueCode === 'EUNAUTHORIZED') signedOut();
        });
    };
    const mine = (p: { subscription?: string }) => live && p.subscription === subscription.current;
    const offs = [
      socket.onOpen(subscribe),
      socket.on('pageChanged', (p) => {
        const res = p as Subscribed;
        if (mine(res)) setLoad({ status: 'ok', result: res });
      }),
      socket.on('dataChanged', (p) => {
        const d = p as DataChanged;
        if (mine(d)) bumpData(d.type);
      }),
      socket.on('subscriptionEnded', (p) => {
        const e = p as Ended;
        if (!mine(e)) return;
        subscription.current = null;
        if (e.reason === 'resync') {
          first = false;
          subscribe();
        } else if (e.reason === 'EUNAUTHORIZED') {
          signedOut();
        } else {
          setLoad({ status: 'error', error: e.message });
        }
      }),
    ];
    return () => {
      live = false;
      offs.forEach((off) => off());
      if (subscription.current) socket.notify('unsubscribe', { subscription: subscription.current });
      subscription.current = null;
    };
  }, [socket, app, pageName, bumpData, signedOut]);

  const title = current?.page?.title ?? (load.status === 'error' ? 'Error' : '');
  useEffect(() => {
    document.title = title ? `${title} · ${app}` : app;
  }, [title, app]);

  const pages = current?.pages;
  const run = useCallback(
    (action: Action | undefined, ctx: ActionContext = {}) => {
      if (!action) return;
      switch (action.type) {
        case 'openModal':
          if (action.modal) setModal(ctx.entityId ? { id: action.modal, entityId: ctx.entityId } : { id: action.modal });
          break;
        case 'closeModal':
          setModal((m) => (!action.modal || m?.id === action.modal ? null : m));
          break;
        case 'navigateTo': {
          const link = pages?.find((p) => p.name === action.page);
          const to = link ? fillRoute(link.route, ctx.entityId) : null;
          if (to) navigate(`/${app}${to}`, { replace: ctx.replace === true });
          else console.warn(`cannot navigate to page ${action.page ?? ''}${link ? ' without an entity' : ': no such page'}`);
          break;
        }
        case 'refresh':
          bumpData();
          break;
        case 'submitForm':
        case 'deleteEntity':
          // Run by the Form, DataGrid and Detail that hold them.
          break;
      }
    },
    [pages, app, navigate, bumpData],
  );

  const entityId = routeParams?.id ?? '';
  const params = useMemo((): Record<string, string> => (entityId ? { id: entityId } : {}), [entityId]);
  const state: PageState | null = useMemo(() => {
    if (!current?.page) return null;
    return {
      app,
      page: current.page,
      pages: current.pages,
      params,
      rights: current.rights ?? {},
      modal,
      dataVersion: (type: string) => versions.all * 1_000_000 + (versions.byType[type] ?? 0),
      bumpData,
      run,
    };
  }, [app, current, params, modal, versions, bumpData, run]);
  const onEntityPage = current?.page ? hasParams(current.page.route) : false;

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpen } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger opened={navOpen} onClick={toggleNav} hiddenFrom="sm" size="sm" aria-label="Pages" />
            <Title order={1} size="h3" lineClamp={1}>
              {title}
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" c="dimmed" visibleFrom="sm">
              {user.email}
            </Text>
            <Button variant="default" size="xs" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Pages">
        <Text size="xs" c="dimmed" fw={700} tt="uppercase" px="sm" py="xs">
          {app}
        </Text>
        {navLinks(pages ?? []).map((p) => {
          const active = current?.page?.name === p.name || (onEntityPage && !!p.entity && p.entity === current?.page?.entity);
          return (
            <NavLink key={p.name} component={Link} to={`/${app}${p.route}`} label={p.title || p.name}
              active={active} onClick={closeNav} aria-current={current?.page?.name === p.name ? 'page' : undefined} />
          );
        })}
      </AppShell.Navbar>
      <AppShell.Main>
        {load.status === 'loading' && (
          <Center py="xl">
            <Loader aria-label="Loading page" />
          </Center>
        )}
        {load.status === 'error' && (
          <Alert color="red" title="This page could not be loaded">
            {load.error}
          </Alert>
        )}
        {load.status === 'ok' && !state && <Alert color="yellow">This page no longer exists; choose another.</Alert>}
        {state && (
          <PageContext.Provider value={state}>
            <ComponentGrid components={state.page.components} />
          </PageContext.Provider>
        )}
      </AppShell.Main>
    </AppShell>
  );
}
