import { Alert, Anchor, Button, Group, Loader, ScrollArea, Select, Skeleton, Table, Text, TextInput, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { format, gridTextLength, isNumeric, plainText, systemFields, valueOf } from '../layout/format';
import { humanize } from '../layout/form';
import { andFilter, ariaSort, editModalFor, equalsFilter, nextSort, padding, stringList, stringProp, virtualFrom } from '../layout/grid';
import { detailLink, fillRoute } from '../layout/route';
import type { Action, Entity, EntityPage, FormField } from '../layout/types';
import { RpcError } from '../rpc/client';
import { useRuntime } from '../runtime';
import { ConfirmDialog } from './ConfirmDialog';
import { FormattedValue } from './FormattedValue';
import { may, usePage } from './PageContext';
import type { ViewProps } from './Renderer';
import { useFormDefinition } from './useFormDefinition';
import { useRelationLabels } from './useRelationLabels';

type Data = { status: 'loading' } | { status: 'ok'; page: EntityPage } | { status: 'error'; error: string };

const plural = (s: string) => (s.endsWith('s') ? s : `${s}s`);

/** rowHeight is the height a row is assumed to have before it is measured (px). */
const rowHeight = 45;

/**
 * DataGridView is a table of entities sorted, filtered, searched and paged
 * by the server; it loads again when its entity type's data changes. Large
 * pages render only the rows in view (and a few more), in a real table
 * whose aria-rowcount and aria-rowindex tell where each row is.
 */
export function DataGridView({ component }: ViewProps) {
  const { rpc } = useRuntime();
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
  const titleColumn = columns.find((c) => fieldOf(c)?.widget === 'text' && !systemFields[c]) ?? columns[0] ?? 'id';

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
  const queryKey = JSON.stringify([app, entity, sort, filter, debouncedSearch, pageSize, cursor, version]);
  const [answer, setAnswer] = useState<{ key: string; data: Data } | null>(null);
  useEffect(() => {
    let live = true;
    const answered = (data: Data) => live && setAnswer({ key: queryKey, data });
    rpc
      .call<EntityPage>('loadEntityData', { app, entity, sort, filter, search: debouncedSearch, limit: pageSize, cursor, count: true })
      .then((page) => answered({ status: 'ok', page }))
      .catch((e: unknown) => answered({ status: 'error', error: e instanceof Error ? e.message : String(e) }));
    return () => {
      live = false;
    };
  }, [rpc, queryKey, app, entity, sort, filter, debouncedSearch, pageSize, cursor]);
  // Until the next answer comes, the last one stays on screen.
  const data: Data = answer?.data ?? { status: 'loading' };
  const loading = answer?.key !== queryKey;

  const [confirm, setConfirm] = useState<Entity | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const actions = component.actions ?? {};
  const editModal = editModalFor(page.components, entity);
  const defaultEdit: Action | undefined = editModal ? { type: 'openModal', modal: editModal.id } : undefined;
  const rowAction: Action | undefined = actions.onRowClick ?? defaultEdit;
  const editAction: Action | undefined =
    actions.onRowEdit ?? (actions.onRowClick?.type === 'openModal' ? actions.onRowClick : defaultEdit);
  const deleteAction: Action = actions.onRowDelete ?? { type: 'deleteEntity', confirm: `Delete this ${entityTitle}?` };
  const canEdit = !!editAction && may(rights, entity, 'update');
  const canDelete = deleteAction.type === 'deleteEntity' && may(rights, entity, 'delete');
  // Rows that open a page of their own name it by a link in the title cell.
  const rowLink = (e: Entity): string | null => {
    if (rowAction?.type !== 'navigateTo') return null;
    const link = pages.find((p) => p.name === rowAction.page);
    const to = link ? fillRoute(link.route, e.id) : null;
    return to ? `/${app}${to}` : null;
  };

  const items = data.status === 'ok' ? data.page.items : [];
  const names = useRelationLabels(app, fields, columns, items);
  const formatted = (e: Entity, c: string) =>
    format(fieldOf(c), valueOf(e, c), { maxLength: gridTextLength, name: (id) => names.get(c)?.get(id) });
  const titleOf = (e: Entity) => plainText(formatted(e, titleColumn)) || e.id;
  const referenceTo = (c: string) => (id: string) => {
    const rel = fieldOf(c)?.relation;
    const link = rel ? detailLink(pages, rel.entity) : undefined;
    const to = link ? fillRoute(link.route, id) : null;
    return to ? `/${app}${to}` : undefined;
  };

  const remove = async (e: Entity) => {
    setConfirm(null);
    setActionError(null);
    try {
      await rpc.call('deleteEntity', { app, entity, id: e.id });
      bumpData(entity);
    } catch (err) {
      setActionError(err instanceof RpcError || err instanceof Error ? err.message : String(err));
    }
  };

  const label = (name: string) => fieldOf(name)?.label ?? humanize(name);
  const filtered = filter !== baseFilter || debouncedSearch !== '';
  const many = plural(entityTitle).toLowerCase();

  // Large pages: only the rows in view are in the table.
  const virtual = items.length >= virtualFrom;
  const viewport = useRef<HTMLDivElement>(null);
  // The React Compiler would skip this component (the virtualizer's
  // functions change without changing identity); the app is not compiled
  // with it, and nothing here is memoized by hand.
  // eslint-disable-next-line react-hooks/incompatible-library -- see above
  const virtualizer = useVirtualizer({
    count: virtual ? items.length : 0,
    getScrollElement: () => viewport.current,
    estimateSize: () => rowHeight,
    overscan: 10,
    getItemKey: (i) => items[i]?.id ?? i,
  });
  const rendered = virtual ? virtualizer.getVirtualItems() : [];
  const pad = padding(rendered, virtualizer.getTotalSize());
  const rows: Array<{ e: Entity; index: number }> = virtual
    ? rendered.flatMap((v) => (items[v.index] ? [{ e: items[v.index] as Entity, index: v.index }] : []))
    : items.map((e, index) => ({ e, index }));
  const span = columns.length + 1;
  const spacer = (height: number, key: string): ReactNode =>
    height > 0 && (
      <tr key={key} aria-hidden="true">
        <td colSpan={span} style={{ height, padding: 0, border: 0 }} />
      </tr>
    );

  const table = (
    <Table highlightOnHover striped stickyHeader miw={560} aria-label={plural(entityTitle)}
      aria-rowcount={virtual ? items.length + 1 : undefined}>
      <Table.Thead>
        <Table.Tr aria-rowindex={virtual ? 1 : undefined}>
          {columns.map((c) => {
            const s = ariaSort(sort, c);
            return (
              <Table.Th key={c} aria-sort={s} ta={isNumeric(fieldOf(c)) ? 'right' : undefined}>
                <UnstyledButton onClick={() => setSort(nextSort(sort, c))} fw={600} fz="sm">
                  {label(c)}
                  {s === 'ascending' ? ' ▲' : s === 'descending' ? ' ▼' : ''}
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
        {spacer(pad.top, 'above')}
        {rows.map(({ e, index }) => {
          const to = rowLink(e);
          return (
            <Table.Tr key={e.id} data-index={index} ref={virtual ? virtualizer.measureElement : undefined}
              aria-rowindex={virtual ? index + 2 : undefined} style={rowAction ? { cursor: 'pointer' } : undefined}
              onClick={() => rowAction && run(rowAction, { entityId: e.id })}>
              {columns.map((c) => {
                const value = <FormattedValue value={formatted(e, c)} referenceTo={referenceTo(c)} />;
                return (
                  <Table.Td key={c} ta={isNumeric(fieldOf(c)) ? 'right' : undefined}>
                    {c === titleColumn && to ? (
                      <Anchor component={Link} to={to} onClick={(ev) => ev.stopPropagation()} inherit fw={500}>
                        {titleOf(e)}
                      </Anchor>
                    ) : (
                      value
                    )}
                  </Table.Td>
                );
              })}
              <Table.Td>
                <Group gap="xs" wrap="nowrap" justify="flex-end">
                  {canEdit && (
                    <Button size="xs" variant="subtle" aria-label={`Edit ${titleOf(e)}`}
                      onClick={(ev) => { ev.stopPropagation(); run(editAction, { entityId: e.id }); }}>
                      Edit
                    </Button>
                  )}
                  {canDelete && (
                    <Button size="xs" variant="subtle" color="red" aria-label={`Delete ${titleOf(e)}`}
                      onClick={(ev) => { ev.stopPropagation(); setConfirm(e); }}>
                      Delete
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          );
        })}
        {spacer(pad.bottom, 'below')}
      </Table.Tbody>
    </Table>
  );

  return (
    <section aria-label={plural(entityTitle)}>
      <Group mb="sm" gap="sm" align="flex-end" wrap="wrap">
        <TextInput label="Search" placeholder={`Search ${many}`} value={search}
          onChange={(e) => setSearch(e.currentTarget.value)} style={{ flex: '1 1 12rem' }} />
        {enumField && (
          <Select label={`Filter ${enumField.label}`} placeholder="All" clearable value={enumValue}
            onChange={setEnumValue} data={enumField.options ?? []} style={{ flex: '0 1 12rem' }} />
        )}
        {loading && data.status !== 'loading' && <Loader size="sm" aria-label="Loading" />}
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
        <div aria-busy="true" aria-label="Loading">
          <Skeleton height={36} mb="xs" />
          <Skeleton height={36} mb="xs" />
          <Skeleton height={36} />
        </div>
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
        message={deleteAction.confirm || `Delete this ${entityTitle}?`}
        detail={confirm ? titleOf(confirm) : ''}
        confirmLabel="Delete"
        onCancel={() => setConfirm(null)}
        onConfirm={() => confirm && void remove(confirm)}
      />
    </section>
  );
}
