import { Alert, Anchor, Button, Group, Paper, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useContext, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { format, plainText, systemFields, valueOf } from '../layout/format';
import { humanize } from '../layout/form';
import { editModalFor, stringList, stringProp } from '../layout/grid';
import { detailLink, fillRoute } from '../layout/route';
import type { Action, Entity, FormField } from '../layout/types';
import { RpcError } from '../rpc/client';
import { useRuntime } from '../runtime';
import { ConfirmDialog } from './ConfirmDialog';
import { FormattedValue } from './FormattedValue';
import { ModalScope, may, usePage } from './PageContext';
import type { ViewProps } from './Renderer';
import { useFormDefinition } from './useFormDefinition';
import { useRelationLabels } from './useRelationLabels';

/**
 * DetailView shows one entity: the one its modal was opened for, or the one
 * of the page's route ("/tasks/{id}"). Every field reads with its label and
 * formatted value, references by the name of what they refer to; Edit,
 * Delete and Back run the component's actions (onEdit, onDelete, onBack).
 * It loads again when entities of its type change.
 */
export function DetailView({ component }: ViewProps) {
  const { rpc } = useRuntime();
  const { app, page, pages, params, rights, run, dataVersion, bumpData } = usePage();
  const scope = useContext(ModalScope);
  const navigate = useNavigate();
  const entity = stringProp(component.props.entity);
  const fields = stringList(component.props.fields);
  const id = scope ? scope.entityId : params?.id;
  const def = useFormDefinition(app, entity, id, fields, dataVersion(entity));
  const loaded = def.status === 'ok' ? def.data : null;
  const names = useRelationLabels(app, loaded?.form.fields ?? [], fields, loaded?.entity ? [loaded.entity] : []);
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [deleted, setDeleted] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);

  const actions = component.actions ?? {};
  const editModal = editModalFor(page.components, entity);
  const onEdit: Action | undefined = actions.onEdit ?? (editModal ? { type: 'openModal', modal: editModal.id } : undefined);
  const onDelete: Action = actions.onDelete ?? { type: 'deleteEntity' };
  const onBack = actions.onBack;
  const backLink = onBack?.type === 'navigateTo' ? pages.find((p) => p.name === onBack.page) : undefined;
  const backTo = backLink ? fillRoute(backLink.route) : null;

  if (deleted) {
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
    <Anchor component={Link} to={`/${app}${backTo}`} size="sm">
      ← Back to {backLink.title || backLink.name}
    </Anchor>
  );
  if (def.status === 'loading') {
    return (
      <Stack gap="sm" aria-busy="true" aria-label={`Loading ${entity}`}>
        <Skeleton height={28} width="40%" />
        <Skeleton height={160} />
      </Stack>
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
  const titleField = form.fields.find((f) => f.widget === 'text' && !f.readOnly);
  const heading = (titleField && plainText(format(titleField, e.data[titleField.name]))) || `${form.title} ${e.id}`;
  const label = (name: string, f?: FormField) => f?.label || humanize(name);
  const referenceTo = (f?: FormField) => (refId: string) => {
    const link = f?.relation ? detailLink(pages, f.relation.entity) : undefined;
    const to = link ? fillRoute(link.route, refId) : null;
    return to ? `/${app}${to}` : undefined;
  };

  const remove = async () => {
    setConfirm(false);
    setActionError(null);
    setBusy(true);
    try {
      await rpc.call('deleteEntity', { app, entity, id: e.id });
      bumpData(entity);
      if (scope) {
        run({ type: 'closeModal', modal: scope.id });
        return;
      }
      setDeleted(true);
      if (onBack) run(onBack, { replace: true });
      else navigate(-1);
    } catch (err) {
      setActionError(err instanceof RpcError || err instanceof Error ? err.message : String(err));
      setBusy(false);
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
          {onEdit && may(rights, entity, 'update') && (
            <Button variant="default" onClick={() => run(onEdit, { entityId: e.id })}>
              Edit
            </Button>
          )}
          {onDelete.type === 'deleteEntity' && may(rights, entity, 'delete') && (
            <Button variant="light" color="red" loading={busy} onClick={() => setConfirm(true)}>
              Delete
            </Button>
          )}
        </Group>
      </Group>
      {actionError && (
        <Alert color="red" withCloseButton onClose={() => setActionError(null)}>
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
        onCancel={() => setConfirm(false)}
        onConfirm={() => void remove()}
      />
    </Stack>
  );
}
