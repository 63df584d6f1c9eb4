import { Alert, Anchor, Button, Group, Loader, ScrollArea, Select, Skeleton, Table, Text, TextInput, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { defaultRangeExtractor, useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { format, gridTextLength, isNumeric, plainText, systemFields, titleField, valueOf } from '../layout/format';
import { humanize } from '../layout/form';
import { andFilter, ariaSort, bodyLines, equalsFilter, nextSort, rowActions, stringList, stringProp, virtualFrom, withIndex } from '../layout/grid';
import { may } from '../layout/rights';
import { detailLink, pageHref } from '../layout/route';
import type { Entity, EntityPage, FormField } from '../layout/types';
import { errorMessage } from '../rpc/client';
import { useRuntime } from '../runtime';
import { ConfirmDialog } from './ConfirmDialog';
import classes from './DataGridView.module.css';
import { FormattedValue } from './FormattedValue';
import { LoadingStatus } from './LoadingStatus';
import { usePage } from './PageContext';
import type { ViewProps } from './Renderer';
import { useFormDefinition } from './useFormDefinition';
import { useRelationLabels } from './useRelationLabels';

type Data = { status: 'loading' } | { status: 'ok'; page: EntityPage } | { status: 'error'; error: string };

const plural = (s: string) => (s.endsWith('s') ? s : `${s}s`);

/** rowHeight is the height a row is assumed to have before it is measured (px). */
const rowHeight = 45;

/**
 * DataGridView is a table of entities sorted, filtered, searched and paged
 * by the server; it loads again when its entity type's data changes. Grids
 * whose pages may be large (pageSize from virtualFrom) render only the rows
 * in view (and a few more, and the row holding the focus), in a real table
 * whose aria-rowcount and aria-rowindex tell where each row is.
 */
export function DataGridView({ component }: ViewProps) {
  const { rpc, user } = useRuntime();
  const { app, page, pages, rights, run, dataVersion, bumpData } = usePage();
  const entity = stringProp(component.props.entity);
  const columns = stringList(component.props.columns);
  const pageSize = typeof component.props.pageSize === 'number' ? component.props.pageSize : 20;
  const baseSort = stringProp(component.props.sort);
  const baseFilter = stringProp(component.props.filter);

  const def = useFormDefinition(app, entity);
  const fields = def.status === 'ok' ? def.data.form.fields : [];
  const entityTitle = def.status === 'ok' ? def.data.form.title : entity;
  const fieldOf = (name: string): FormField | undefined => fields.find((f) => f.name === name) ?? systemFields[name];
  const enumField = columns.map(fieldOf).find((f) => f?.widget === 'select' && (f.options?.length ?? 0) > 0);
  const titleColumn = titleField(columns.map(fieldOf))?.name ?? columns[0] ?? 'id';

  // The sort starts from the component's, and again when that changes.
  const [sortState, setSortState] = useState({ base: baseSort, sort: baseSort });
  const sort = sortState.base === baseSort ? sortState.sort : baseSort;
  const setSort = (s: string) => setSortState({ base: baseSort, sort: s });

  const [enumValue, setEnumValue] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);
  const filter = andFilter(baseFilter, enumField && enumValue ? equalsFilter(enumField.name, enumValue) : '');

  // A new sort, filter or search starts from the first page.
  const pagingKey = JSON.stringify([sort, filter, debouncedSearch]);
  const [paging, setPaging] = useState<{ key: string; cursors: string[] }>({ key: pagingKey, cursors: [] });
  const cursors = paging.key === pagingKey ? paging.cursors : [];
  const setCursors = (next: string[]) => setPaging({ key: pagingKey, cursors: next });
  const cursor = cursors[cursors.length - 1] ?? '';

  const version = dataVersion(entity);
  // What the answer is for (the entities of one type of one app), and the query.
  const of = JSON.stringify([app, entity]);
  const queryKey = JSON.stringify([of, sort, filter, debouncedSearch, pageSize, cursor, version]);
  const [answer, setAnswer] = useState<{ of: string; key: string; data: Data } | null>(null);
  useEffect(() => {
    let live = true;
    const answered = (data: Data) => live && setAnswer({ of, key: queryKey, data });
    rpc
      .call<EntityPage>('loadEntityData', { app, entity, sort, filter, search: debouncedSearch, limit: pageSize, cursor, count: true })
      .then((page) => answered({ status: 'ok', page }))
      .catch((e: unknown) => answered({ status: 'error', error: errorMessage(e) }));
    return () => {
      live = false;
    };
  }, [rpc, of, queryKey, app, entity, sort, filter, debouncedSearch, pageSize, cursor]);
  // Until the next answer comes, the last one for these entities stays on screen.
  const data: Data = answer?.of === of ? answer.data : { status: 'loading' };
  const loading = answer?.key !== queryKey;

  const [confirm, setConfirm] = useState<Entity | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const searchBox = useRef<HTMLInputElement>(null);

  const actions = component.actions ?? {};
  const actionsOf = (e: Entity) => rowActions(page.components, entity, actions, (op) => may(rights, entity, op, e, user.id));
  const deleteQuestion = actions.onRowDelete?.confirm || `Delete this ${entityTitle}?`;

  const items = data.status === 'ok' ? data.page.items : [];
  const names = useRelationLabels(app, fields, columns, items);
  const formatted = (e: Entity, c: string) =>
    format(fieldOf(c), valueOf(e, c), { maxLength: gridTextLength, name: (id) => names.get(c)?.get(id) });
  const titleOf = (e: Entity) => plainText(formatted(e, titleColumn)) || e.id;
  const referenceTo = (c: string) => (id: string) => {
    const rel = fieldOf(c)?.relation;
    return (rel && pageHref(app, detailLink(pages, rel.entity), id)) ?? undefined;
  };

  const remove = async (e: Entity) => {
    setConfirm(null);
    setDeleting(true);
    setActionError(null);
    try {
      await rpc.call('deleteEntity', { app, entity, id: e.id });
      bumpData(entity);
    } catch (err) {
      setActionError(errorMessage(err));
    }
  };

  const label = (name: string) => fieldOf(name)?.label ?? humanize(name);
  const filtered = filter !== baseFilter || debouncedSearch !== '';
  const many = plural(entityTitle).toLowerCase();

  // Large pages: only the rows in view are in the table. Chosen by the
  // page size, not the rows shown, so that a live change does not swap the
  // table's container (losing its scroll and focus).
  const virtual = pageSize >= virtualFrom;
  const viewport = useRef<HTMLDivElement>(null);
  const head = useRef<HTMLTableSectionElement>(null);
  const [headHeight, setHeadHeight] = useState(0);
  const hasTable = data.status === 'ok';
  useEffect(() => {
    const el = head.current;
    if (!virtual || !hasTable || !el) return;
    const observer = new ResizeObserver(() => setHeadHeight(el.offsetHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, [virtual, hasTable]);
  // Another sort, filter, search or page starts at the top.
  const viewKey = JSON.stringify([pagingKey, cursor]);
  useEffect(() => {
    viewport.current?.scrollTo({ top: 0 });
  }, [viewKey]);
  // The row holding the focus stays rendered when scrolled out of view.
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const focusedIndex = focusedId === null ? -1 : items.findIndex((e) => e.id === focusedId);
  // The React Compiler would skip this component (the virtualizer's
  // functions change without changing identity); the app is not compiled
  // with it, and nothing here is memoized by hand.
  // eslint-disable-next-line react-hooks/incompatible-library -- see above
  const virtualizer = useVirtualizer({
    count: virtual ? items.length : 0,
    getScrollElement: () => viewport.current,
    estimateSize: () => rowHeight,
    overscan: 10,
    // The rows start below the header, which stays over them (sticky).
    scrollMargin: headHeight,
    scrollPaddingStart: headHeight,
    getItemKey: (i) => items[i]?.id ?? i,
    rangeExtractor: (range) => withIndex(defaultRangeExtractor(range), focusedIndex >= 0 ? focusedIndex : null, range.count),
  });
  const lines = virtual
    ? bodyLines(virtualizer.getVirtualItems(), virtualizer.getTotalSize(), headHeight)
    : items.map((_, index) => ({ kind: 'row' as const, index }));
  const span = columns.length + 1;

  const row = (e: Entity, index: number) => {
    const acts = actionsOf(e);
    const open = acts.open;
    // The row's click, for the keyboard too: a link or a button in the title cell.
    const to = open?.type === 'navigateTo' ? pageHref(app, pages.find((p) => p.name === open.page), e.id) : null;
    const openButton = open && open.type !== 'navigateTo' && !acts.openEdits;
    return (
      <Table.Tr key={e.id} data-index={index} ref={virtual ? virtualizer.measureElement : undefined}
        aria-rowindex={virtual ? index + 2 : undefined} className={virtual && index % 2 === 0 ? classes.stripe : undefined}
        style={open ? { cursor: 'pointer' } : undefined}
        onClick={() => open && run(open, { entityId: e.id })}
        onFocus={() => setFocusedId(e.id)}
        onBlur={(ev) => {
          if (!ev.currentTarget.contains(ev.relatedTarget)) setFocusedId(null);
        }}>
        {columns.map((c) => (
          <Table.Td key={c} ta={isNumeric(fieldOf(c)) ? 'right' : undefined}>
            {c === titleColumn && to ? (
              <Anchor component={Link} to={to} onClick={(ev) => ev.stopPropagation()} inherit fw={500}>
                {titleOf(e)}
              </Anchor>
            ) : c === titleColumn && openButton ? (
              <Anchor component="button" type="button" inherit fw={500} ta="left"
                onClick={(ev) => { ev.stopPropagation(); run(open, { entityId: e.id }); }}>
                {titleOf(e)}
              </Anchor>
            ) : (
              <FormattedValue value={formatted(e, c)} referenceTo={referenceTo(c)} />
            )}
          </Table.Td>
        ))}
        <Table.Td>
          <Group gap="xs" wrap="nowrap" justify="flex-end">
            {acts.edit && (
              <Button size="xs" variant="subtle" aria-label={`Edit ${titleOf(e)}`}
                onClick={(ev) => { ev.stopPropagation(); run(acts.edit, { entityId: e.id }); }}>
                Edit
              </Button>
            )}
            {acts.remove && (
              <Button size="xs" variant="subtle" color="red" aria-label={`Delete ${titleOf(e)}`}
                onClick={(ev) => { ev.stopPropagation(); setDeleting(false); setConfirm(e); }}>
                Delete
              </Button>
            )}
          </Group>
        </Table.Td>
      </Table.Tr>
    );
  };

  const table = (
    <Table highlightOnHover striped={!virtual} stickyHeader miw={560} aria-label={plural(entityTitle)}
      aria-rowcount={virtual ? items.length + 1 : undefined}>
      <Table.Thead ref={head}>
        <Table.Tr aria-rowindex={virtual ? 1 : undefined}>
          {columns.map((c) => {
            const s = ariaSort(sort, c);
            return (
              <Table.Th key={c} aria-sort={s} ta={isNumeric(fieldOf(c)) ? 'right' : undefined}>
                <UnstyledButton onClick={() => setSort(nextSort(sort, c))} fw={600} fz="sm">
                  {label(c)}
                  {s !== 'none' && <span aria-hidden="true">{s === 'ascending' ? ' ▲' : ' ▼'}</span>}
                </UnstyledButton>
              </Table.Th>
            );
          })}
          <Table.Th>
            <VisuallyHidden>Actions</VisuallyHidden>
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {lines.map((line) => {
          if (line.kind === 'spacer') {
            return (
              <tr key={line.key} aria-hidden="true">
                <td colSpan={span} style={{ height: line.height, padding: 0, border: 0 }} />
              </tr>
            );
          }
          const e = items[line.index];
          return e ? row(e, line.index) : null;
        })}
      </Table.Tbody>
    </Table>
  );

  return (
    <section aria-label={plural(entityTitle)}>
      <Group mb="sm" gap="sm" align="flex-end" wrap="wrap">
        <TextInput ref={searchBox} label="Search" placeholder={`Search ${many}`} value={search}
          onChange={(e) => setSearch(e.currentTarget.value)} style={{ flex: '1 1 12rem' }} />
        {enumField && (
          <Select label={`Filter ${enumField.label}`} placeholder="All" clearable value={enumValue}
            onChange={setEnumValue} data={enumField.options ?? []} style={{ flex: '0 1 12rem' }} />
        )}
        {loading && data.status !== 'loading' && (
          <LoadingStatus label={`Loading ${many}`}>
            <Loader size="sm" />
          </LoadingStatus>
        )}
      </Group>
      {actionError && (
        <Alert color="red" mb="sm" withCloseButton onClose={() => setActionError(null)}>
          {actionError}
        </Alert>
      )}
      {data.status === 'error' && (
        <Alert color="red" title={`Could not load ${many}`}>
          {data.error}
        </Alert>
      )}
      {data.status === 'loading' && (
        <LoadingStatus label={`Loading ${many}`}>
          <Skeleton height={36} mb="xs" />
          <Skeleton height={36} mb="xs" />
          <Skeleton height={36} />
        </LoadingStatus>
      )}
      {data.status === 'ok' &&
        (virtual ? (
          <ScrollArea.Autosize mah="70vh" viewportRef={viewport} type="auto" offsetScrollbars>
            {table}
          </ScrollArea.Autosize>
        ) : (
          <Table.ScrollContainer minWidth={560}>{table}</Table.ScrollContainer>
        ))}
      {data.status === 'ok' && items.length === 0 && (
        <Text c="dimmed" ta="center" py="lg">
          {filtered ? `No ${many} match` : `No ${many} yet`}
        </Text>
      )}
      {data.status === 'ok' && (
        <Group justify="space-between" mt="sm">
          <Text size="sm" c="dimmed">
            {data.page.total !== undefined ? `${data.page.total} ${data.page.total === 1 ? entityTitle.toLowerCase() : many}` : ''}
          </Text>
          <Group gap="xs">
            <Button variant="default" size="xs" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
              Previous page
            </Button>
            <Button variant="default" size="xs" disabled={!data.page.nextCursor}
              onClick={() => { const next = data.page.nextCursor; if (next) setCursors([...cursors, next]); }}>
              Next page
            </Button>
          </Group>
        </Group>
      )}
      <ConfirmDialog
        opened={confirm !== null}
        title={`Delete ${entityTitle.toLowerCase()}`}
        message={deleteQuestion}
        detail={confirm ? titleOf(confirm) : ''}
        confirmLabel="Delete"
        onCancel={() => setConfirm(null)}
        onConfirm={() => confirm && void remove(confirm)}
        // After a delete the row (and its Delete button) goes: the search box takes the focus.
        returnFocus={!deleting}
        onExited={() => deleting && searchBox.current?.focus()}
      />
    </section>
  );
}
