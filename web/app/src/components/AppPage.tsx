import { Alert, AppShell, Burger, Button, Center, Group, Loader, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { backPage } from '../layout/grid';
import { modalAfter } from '../layout/modal';
import { hasParams, navLinks, pageHref, shownParams } from '../layout/route';
import type { Action, PageResult } from '../layout/types';
import { errorMessage, RpcError } from '../rpc/client';
import { followPage } from '../rpc/follow';
import { useRuntime } from '../runtime';
import { LoadingStatus } from './LoadingStatus';
import { PageContext, type ActionContext, type OpenModal, type PageState } from './PageContext';
import { ComponentGrid } from './Renderer';

/**
 * The page last loaded (asked: the path it answered, null when it came
 * from the subscription), and the failure of the last load, for its path.
 */
interface Load {
  result: PageResult | null;
  asked: string | null;
  error: { app: string; route: string; message: string } | null;
}

/**
 * AppPage is the app at /app/{app}/{route...}: it loads the page of the
 * route (the first page when there is none, whose route then replaces the
 * URL), follows it live over the WebSocket, and renders it in the shell.
 * A route with {id} ("/tasks/{id}") is the page of one entity: moving
 * between entities of one page keeps the page and changes its params.
 * Until the page of the address is loaded, a loader stands in its place:
 * never the page of another address.
 */
export function AppPage() {
  const { rpc, socket, user, signOut, signedOut } = useRuntime();
  const urlParams = useParams();
  const app = urlParams.app ?? '';
  const rest = (urlParams['*'] ?? '').replace(/\/+$/, '');
  const route = rest ? `/${rest}` : '';
  const navigate = useNavigate();
  const [load, setLoad] = useState<Load>({ result: null, asked: null, error: null });
  const [modal, setModal] = useState<OpenModal | null>(null);
  const [versions, setVersions] = useState<{ all: number; byType: Record<string, number> }>({ all: 0, byType: {} });
  const [navOpen, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  const loaded = load.result;
  const routeParams = loaded ? shownParams(loaded, load.asked, app, route) : null;
  // The page shown: the one of the address, else none.
  const showing = routeParams !== null;
  const current = useMemo(() => (showing && loaded?.page ? { ...loaded, page: loaded.page } : null), [showing, loaded]);
  const shown = current !== null;
  const failed = !shown && load.error?.app === app && load.error.route === route ? load.error.message : null;
  const settled = shown || failed !== null;
  const routeNow = useRef(route);
  useEffect(() => {
    routeNow.current = route;
  }, [route]);

  // Another route closes the open modal.
  const [modalRoute, setModalRoute] = useState(route);
  if (modalRoute !== route) {
    setModalRoute(route);
    setModal(null);
  }

  // Load the page of the route, unless it is shown (or failed).
  useEffect(() => {
    if (settled) return;
    let live = true;
    rpc
      .call<PageResult>('loadPage', route ? { app, page: route } : { app })
      .then((result) => {
        if (!live) return;
        setLoad({ result, asked: route, error: null });
        if (!route && result.page) navigate(`/${app}${result.page.route}`, { replace: true });
      })
      .catch((e: unknown) => {
        if (live) setLoad((l) => ({ ...l, error: { app, route, message: errorMessage(e) } }));
      });
    return () => {
      live = false;
    };
  }, [rpc, app, route, navigate, settled]);

  const bumpData = useCallback((type?: string) => {
    setVersions((v) =>
      type ? { ...v, byType: { ...v.byType, [type]: (v.byType[type] ?? 0) + 1 } } : { ...v, all: v.all + 1 },
    );
  }, []);

  // Follow the page shown: layout changes and data changes, subscribing
  // anew after every reconnection (and catching up on what was missed).
  const subApp = current?.app ?? '';
  const subPage = current?.page.name ?? '';
  useEffect(() => {
    if (!subPage) return;
    const same = (l: Load, res: PageResult) => l.result?.app === res.app && l.result.page?.name === subPage;
    return followPage(socket, subApp, subPage, {
      subscribed: (res, again) => {
        setLoad((l) => (same(l, res) && l.result?.version !== res.version ? { ...l, result: res, asked: null } : l));
        if (again) bumpData();
      },
      pageChanged: (res) => setLoad((l) => (same(l, res) ? { ...l, result: res, asked: null } : l)),
      dataChanged: (d) => bumpData(d.type),
      ended: (e) => {
        if (e.reason === 'EUNAUTHORIZED') signedOut();
        else setLoad({ result: null, asked: null, error: { app: subApp, route: routeNow.current, message: e.message } });
      },
      failed: (e) => {
        if (e instanceof RpcError && e.torqueCode === 'EUNAUTHORIZED') signedOut();
      },
    });
  }, [socket, subApp, subPage, bumpData, signedOut]);

  const pages = useMemo(() => (loaded?.app === app ? loaded.pages : []), [loaded, app]);

  const title = current?.page.title ?? (failed ? 'Error' : '');
  useEffect(() => {
    document.title = title ? `${title} · ${app}` : app;
  }, [title, app]);

  const run = useCallback(
    (action: Action | undefined, ctx: ActionContext = {}) => {
      if (!action) return;
      switch (action.type) {
        case 'openModal':
        case 'closeModal':
          setModal((m) => modalAfter(m, action, ctx.entityId));
          break;
        case 'navigateTo': {
          const link = pages.find((p) => p.name === action.page);
          const to = pageHref(app, link, ctx.entityId);
          if (to) navigate(to, { replace: ctx.replace === true });
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
    if (!current) return null;
    return {
      app: current.app,
      page: current.page,
      pages: current.pages,
      params,
      rights: current.rights ?? {},
      modal,
      dataVersion: (type: string) => versions.all * 1_000_000 + (versions.byType[type] ?? 0),
      bumpData,
      run,
    };
  }, [current, params, modal, versions, bumpData, run]);
  // On the page of one entity, the list it belongs to: where its Detail goes back to, else the list of its type.
  const listName = current && hasParams(current.page.route) ? (backPage(current.page.components) ?? null) : null;
  const listType = current && hasParams(current.page.route) ? current.page.entity : undefined;

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
        {navLinks(pages).map((p) => {
          const exact = current?.page.name === p.name;
          const within = !exact && (p.name === listName || (!!listType && p.entity === listType));
          return (
            <NavLink key={p.name} component={Link} to={`/${app}${p.route}`} label={p.title || p.name}
              active={exact || within} onClick={closeNav} aria-current={exact ? 'page' : within ? 'true' : undefined} />
          );
        })}
      </AppShell.Navbar>
      <AppShell.Main>
        {failed !== null && (
          <Alert color="red" title="This page could not be loaded">
            {failed}
          </Alert>
        )}
        {!settled && (
          <LoadingStatus label="Loading page">
            <Center py="xl">
              <Loader />
            </Center>
          </LoadingStatus>
        )}
        {state && (
          <PageContext.Provider value={state}>
            <ComponentGrid key={`${state.app}/${state.page.name}`} components={state.page.components} />
          </PageContext.Provider>
        )}
      </AppShell.Main>
    </AppShell>
  );
}
