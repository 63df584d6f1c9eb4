import { Alert, Button, Group, Loader, Select, Skeleton, Table, Text, TextInput, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { display, humanize } from '../layout/form';
import { andFilter, ariaSort, editModalFor, equalsFilter, nextSort, stringList } from '../layout/grid';
import type { Action, Entity, EntityPage, FormField } from '../layout/types';
import { RpcError } from '../rpc/client';
import { useRuntime } from '../runtime';
import { ConfirmDialog } from './ConfirmDialog';
import { usePage } from './PageContext';
import type { ViewProps } from './Renderer';
import { useFormDefinition } from './useFormDefinition';
import { useRelationLabels } from './useRelationLabels';

type Data = { status: 'loading' } | { status: 'ok'; page: EntityPage } | { status: 'error'; error: string };

const plural = (s: string) => (s.endsWith('s') ? s : `${s}s`);

/**
 * DataGridView is a table of entities sorted, filtered, searched and paged
 * by the server; it loads again when its entity type's data changes.
 */
export function DataGridView({ component }: ViewProps) {
  const { rpc } = useRuntime();
  const { app, page, run, dataVersion, bumpData } = usePage();
  const entity = String(component.props.entity ?? '');
  const columns = stringList(component.props.columns);
  const pageSize = typeof component.props.pageSize === 'number' ? component.props.pageSize : 20;
  const baseSort = typeof component.props.sort === 'string' ? component.props.sort : '';
  const baseFilter = typeof component.props.filter === 'string' ? component.props.filter : '';

  const def = useFormDefinition(app, entity);
  const fields = def.status === 'ok' ? def.data.form.fields : [];
  const entityTitle = def.status === 'ok' ? def.data.form.title : entity;
  const fieldOf = (name: string): FormField | undefined => fields.find((f) => f.name === name);
  const enumField = columns.map(fieldOf).find((f) => f?.widget === 'select' && (f.options?.length ?? 0) > 0);
  const titleColumn = columns.find((c) => fieldOf(c)?.widget === 'text') ?? columns[0] ?? 'id';

  const [sort, setSort] = useState(baseSort);
  const [enumValue, setEnumValue] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);
  const [cursors, setCursors] = useState<string[]>([]);
  const [data, setData] = useState<Data>({ status: 'loading' });
  const [loading, setLoading] = useState(true);
  const [confirm, setConfirm] = useState<Entity | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  useEffect(() => setSort(baseSort), [baseSort]);

  const filter = andFilter(baseFilter, enumField && enumValue ? equalsFilter(enumField.name, enumValue) : '');
  const cursor = cursors[cursors.length - 1] ?? '';
  const version = dataVersion(entity);
  const query = useMemo(
    () => ({ app, entity, sort, filter, search: debouncedSearch, limit: pageSize, cursor, count: true }),
    [app, entity, sort, filter, debouncedSearch, pageSize, cursor],
  );

  // A new sort, filter or search starts from the first page.
  useEffect(() => setCursors([]), [sort, filter, debouncedSearch]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    rpc
      .call<EntityPage>('loadEntityData', query)
      .then((page) => live && setData({ status: 'ok', page }))
      .catch((e: unknown) => live && setData({ status: 'error', error: e instanceof Error ? e.message : String(e) }))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [rpc, query, version]);

  const rowAction: Action | undefined =
    component.actions?.onRowClick ??
    (() => {
      const m = editModalFor(page.components, entity);
      return m ? { type: 'openModal', modal: m.id } : undefined;
    })();
  const deleteAction: Action = component.actions?.onRowDelete ?? {
    type: 'deleteEntity',
    confirm: `Delete this ${entityTitle}?`,
  };

  const titleOf = (e: Entity) => display(fieldOf(titleColumn), e.data[titleColumn]) || e.id;

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

  const items = data.status === 'ok' ? data.page.items : [];
  const names = useRelationLabels(app, fields, columns, items);
  const cell = (e: Entity, c: string): string => {
    const v = c in e.data ? e.data[c] : (e as unknown as Record<string, unknown>)[c];
    return (typeof v === 'string' ? names.get(c)?.get(v) : undefined) ?? display(fieldOf(c), v);
  };
  const label = (name: string) => fieldOf(name)?.label ?? humanize(name);
  const filtered = filter !== baseFilter || debouncedSearch !== '';

  return (
    <section aria-label={`${plural(entityTitle)}`}>
      <Group mb="sm" gap="sm" align="flex-end" wrap="wrap">
        <TextInput label="Search" placeholder={`Search ${plural(entityTitle).toLowerCase()}`} value={search}
          onChange={(e) => setSearch(e.currentTarget.value)} style={{ flex: '1 1 12rem' }} />
        {enumField && (
          <Select label={`Filter ${enumField.label}`} placeholder="All" clearable value={enumValue}
            onChange={setEnumValue} data={enumField.options ?? []} style={{ flex: '0 1 12rem' }} />
        )}
        {loading && data.status === 'ok' && <Loader size="sm" aria-label="Loading" />}
      </Group>
      {actionError && (
        <Alert color="red" mb="sm" withCloseButton onClose={() => setActionError(null)}>
          {actionError}
        </Alert>
      )}
      {data.status === 'error' && (
        <Alert color="red" title={`Could not load ${plural(entityTitle).toLowerCase()}`}>
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
      {data.status === 'ok' && (
        <Table.ScrollContainer minWidth={560}>
          <Table highlightOnHover striped>
            <Table.Thead>
              <Table.Tr>
                {columns.map((c) => {
                  const s = ariaSort(sort, c);
                  return (
                    <Table.Th key={c} aria-sort={s}>
                      <UnstyledButton onClick={() => setSort(nextSort(sort, c))} fw={600}>
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
              {items.map((e) => (
                <Table.Tr key={e.id} style={rowAction ? { cursor: 'pointer' } : undefined}
                  onClick={() => rowAction && run(rowAction, { entityId: e.id })}>
                  {columns.map((c) => (
                    <Table.Td key={c}>{cell(e, c)}</Table.Td>
                  ))}
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap" justify="flex-end">
                      {rowAction && (
                        <Button size="xs" variant="subtle" aria-label={`Edit ${titleOf(e)}`}
                          onClick={(ev) => { ev.stopPropagation(); run(rowAction, { entityId: e.id }); }}>
                          Edit
                        </Button>
                      )}
                      <Button size="xs" variant="subtle" color="red" aria-label={`Delete ${titleOf(e)}`}
                        onClick={(ev) => { ev.stopPropagation(); setConfirm(e); }}>
                        Delete
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {items.length === 0 && (
            <Text c="dimmed" ta="center" py="lg">
              {filtered ? `No ${plural(entityTitle).toLowerCase()} match` : `No ${plural(entityTitle).toLowerCase()} yet`}
            </Text>
          )}
        </Table.ScrollContainer>
      )}
      {data.status === 'ok' && (
        <Group justify="space-between" mt="sm">
          <Text size="sm" c="dimmed">
            {data.page.total !== undefined ? `${data.page.total} ${data.page.total === 1 ? entityTitle.toLowerCase() : plural(entityTitle).toLowerCase()}` : ''}
          </Text>
          <Group gap="xs">
            <Button variant="default" size="xs" disabled={cursors.length === 0}
              onClick={() => setCursors((cs) => cs.slice(0, -1))}>
              Previous page
            </Button>
            <Button variant="default" size="xs" disabled={!data.page.nextCursor}
              onClick={() => { const next = data.page.nextCursor; if (next) setCursors((cs) => [...cs, next]); }}>
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
