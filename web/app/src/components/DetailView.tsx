import { Alert, Anchor, Button, Group, Paper, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useContext, useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { format, plainText, systemFields, titleField, valueOf } from '../layout/format';
import { humanize } from '../layout/form';
import { editModalFor, stringList, stringProp } from '../layout/grid';
import { may } from '../layout/rights';
import { detailLink, listLink, pageHref } from '../layout/route';
import type { Action, Entity, FormField } from '../layout/types';
import { errorMessage } from '../rpc/client';
import { useRuntime } from '../runtime';
import { ConfirmDialog } from './ConfirmDialog';
import { FormattedValue } from './FormattedValue';
import { LoadingStatus } from './LoadingStatus';
import { ModalScope, usePage } from './PageContext';
import type { ViewProps } from './Renderer';
import { useFormDefinition } from './useFormDefinition';
import { useRelationLabels } from './useRelationLabels';

/**
 * DetailView shows one entity: the one its modal was opened for, or the one
 * of the page's route ("/tasks/{id}"). Every field reads with its label and
 * formatted value, references by the name of what they refer to; Edit,
 * Delete and Back run the component's actions (onEdit, onDelete, onBack).
 * It loads again when entities of its type change. What it holds (a
 * delete under way, its failure) is the entity's: another id starts afresh.
 */
export function DetailView({ component }: ViewProps) {
  const { rpc, user } = useRuntime();
  const { app, page, pages, params, rights, run, dataVersion, bumpData } = usePage();
  const scope = useContext(ModalScope);
  const navigate = useNavigate();
  const entity = stringProp(component.props.entity);
  const fields = stringList(component.props.fields);
  const id = scope ? scope.entityId : params?.id;
  const def = useFormDefinition(app, entity, id, fields, dataVersion(entity));
  const loaded = def.status === 'ok' ? def.data : null;
  const names = useRelationLabels(app, loaded?.form.fields ?? [], fields, loaded?.entity ? [loaded.entity] : []);
  // Each by the id of the entity it is about.
  const [confirmId, setConfirmId] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [deletedId, setDeletedId] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ id: string; message: string } | null>(null);
  const confirm = !!id && confirmId === id;
  const busy = !!id && busyId === id;
  const actionError = failure && failure.id === id ? failure.message : null;
  // The entity shown now, for a delete that ends after the user moved on.
  const showing = useRef(id);
  useEffect(() => {
    showing.current = id;
    return () => {
      showing.current = undefined;
    };
  }, [id]);

  const actions = component.actions ?? {};
  const editModal = editModalFor(page.components, entity);
  const onEdit: Action | undefined = actions.onEdit ?? (editModal ? { type: 'openModal', modal: editModal.id } : undefined);
  const onDelete: Action = actions.onDelete ?? { type: 'deleteEntity' };
  const onBack = actions.onBack;
  const backLink = onBack?.type === 'navigateTo' ? pages.find((p) => p.name === onBack.page) : undefined;
  const backTo = pageHref(app, backLink);

  if (id && deletedId === id) {
    return (
      <Text c="dimmed" role="status">
        Deleted.
      </Text>
    );
  }
  if (!id) {
    return scope ? null : <Alert color="yellow">No {entity} to show here: this page needs the id of one in its route.</Alert>;
  }
  const back = backLink && backTo && (
    <Anchor component={Link} to={backTo} size="sm">
      ← Back to {backLink.title || backLink.name}
    </Anchor>
  );
  if (def.status === 'loading') {
    return (
      <LoadingStatus label={`Loading ${entity}`}>
        <Stack gap="sm">
          <Skeleton height={28} width="40%" />
          <Skeleton height={160} />
        </Stack>
      </LoadingStatus>
    );
  }
  if (def.status === 'error') {
    const gone = def.code === 'ENOTFOUND';
    return (
      <Stack gap="sm">
        {back}
        <Alert color={gone ? 'yellow' : 'red'} title={gone ? `This ${entity.toLowerCase()} does not exist` : `Could not load this ${entity.toLowerCase()}`}>
          {gone ? 'It may have been deleted, or the link is wrong.' : def.error}
        </Alert>
      </Stack>
    );
  }

  const { form } = def.data;
  const e: Entity | undefined = def.data.entity;
  if (!e) return null;
  const fieldOf = (name: string): FormField | undefined => form.fields.find((f) => f.name === name) ?? systemFields[name];
  const shown = (fields.length > 0 ? fields : form.fields.map((f) => f.name)).map((name) => ({ name, field: fieldOf(name) }));
  const named = titleField(form.fields);
  const heading = (named && plainText(format(named, e.data[named.name]))) || `${form.title} ${e.id}`;
  const label = (name: string, f?: FormField) => f?.label || humanize(name);
  const referenceTo = (f?: FormField) => (refId: string) =>
    (f?.relation && pageHref(app, detailLink(pages, f.relation.entity), refId)) ?? undefined;

  const remove = async () => {
    setConfirmId(null);
    setFailure(null);
    setBusyId(e.id);
    try {
      await rpc.call('deleteEntity', { app, entity, id: e.id });
      bumpData(entity);
      if (showing.current !== e.id) return; // the user moved on meanwhile
      if (scope) {
        run({ type: 'closeModal', modal: scope.id });
        return;
      }
      setDeletedId(e.id);
      // Away from the page of what is no more: back, else to the list of its type.
      if (onBack) {
        run(onBack, { replace: true });
        return;
      }
      const list = pageHref(app, listLink(pages, entity));
      if (list) navigate(list, { replace: true });
    } catch (err) {
      setFailure({ id: e.id, message: errorMessage(err) });
    } finally {
      setBusyId((b) => (b === e.id ? null : b));
    }
  };

  return (
    <Stack gap="md">
      {!scope && back}
      <Group justify="space-between" align="flex-start" gap="sm">
        <Title order={2} size="h3" style={{ overflowWrap: 'anywhere', minWidth: 0, flex: '1 1 12rem' }}>
          {heading}
        </Title>
        <Group gap="xs" wrap="nowrap">
          {onEdit && may(rights, entity, 'update', e, user.id) && (
            <Button variant="default" onClick={() => run(onEdit, { entityId: e.id })}>
              Edit
            </Button>
          )}
          {onDelete.type === 'deleteEntity' && may(rights, entity, 'delete', e, user.id) && (
            <Button variant="light" color="red" loading={busy} onClick={() => setConfirmId(e.id)}>
              Delete
            </Button>
          )}
        </Group>
      </Group>
      {actionError && (
        <Alert color="red" withCloseButton onClose={() => setFailure(null)}>
          {actionError}
        </Alert>
      )}
      <Paper withBorder radius="md">
        <Table aria-label={`${form.title} details`} verticalSpacing="sm" horizontalSpacing="md">
          <Table.Tbody>
            {shown.map(({ name, field }) => (
              <Table.Tr key={name}>
                <Table.Th scope="row" w="35%" c="dimmed" fw={500} style={{ verticalAlign: 'top' }}>
                  {label(name, field)}
                </Table.Th>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>
                  <FormattedValue block referenceTo={referenceTo(field)}
                    value={format(field, valueOf(e, name), { name: (refId) => names.get(name)?.get(refId) })} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Text size="xs" c="dimmed">
        Version {e.version}
      </Text>
      <ConfirmDialog
        opened={confirm}
        title={`Delete ${form.title.toLowerCase()}`}
        message={onDelete.confirm || `Delete this ${form.title}?`}
        detail={heading}
        confirmLabel="Delete"
        onCancel={() => setConfirmId(null)}
        onConfirm={() => void remove()}
      />
    </Stack>
  );
}
