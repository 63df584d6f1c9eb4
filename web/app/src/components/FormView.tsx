import { Alert, Button, Group, Skeleton, Stack } from '@mantine/core';
import { useContext, useState, type FormEvent } from 'react';
import { checkValues, mergeValues, payload, type FieldValue, type Values } from '../layout/form';
import { stringList, stringProp } from '../layout/grid';
import type { Entity, FormResult } from '../layout/types';
import { errorMessage, RpcError } from '../rpc/client';
import { useRuntime } from '../runtime';
import { FieldInput } from './FieldInput';
import { LoadingStatus } from './LoadingStatus';
import { ModalScope, usePage } from './PageContext';
import type { ViewProps } from './Renderer';
import { useFormDefinition } from './useFormDefinition';

/**
 * FormView creates an entity, or edits the one its modal was opened for
 * (or, outside a modal, the one of the page's route). Input survives a new
 * definition of the form (a model change) for the fields that still exist.
 * A saved edit shows what the server saved (and edits its new version); a
 * form that stays after creating starts again from the defaults.
 */
export function FormView({ component }: ViewProps) {
  const { rpc } = useRuntime();
  const { app, params, run, bumpData } = usePage();
  const scope = useContext(ModalScope);
  const entityId = scope ? scope.entityId : params?.id;
  const entityType = stringProp(component.props.entity);
  const fields = stringList(component.props.fields);
  const submitLabel = typeof component.props.submitLabel === 'string' ? component.props.submitLabel : 'Save';
  const def = useFormDefinition(app, entityType, entityId, fields);

  const [values, setValues] = useState<Values>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [entity, setEntity] = useState<Entity | undefined>(undefined);
  // The definition the values were made for, and for which entity.
  const [shown, setShown] = useState<{ def: FormResult; entityId: string } | null>(null);
  if (def.status === 'ok' && shown?.def !== def.data) {
    const res = def.data;
    const key = entityId ?? '';
    // A new definition of the same entity's form keeps what was typed;
    // another entity starts from its values.
    const keep = shown?.entityId === key;
    setShown({ def: res, entityId: key });
    setEntity(res.entity);
    setValues((prev) => mergeValues(res.form.fields, keep ? prev : {}, res.entity));
  }

  if (def.status === 'loading') {
    return (
      <LoadingStatus label="Loading form">
        <Skeleton height={200} />
      </LoadingStatus>
    );
  }
  if (def.status === 'error') return <Alert color="red">{def.error}</Alert>;
  const form = def.data.form;

  const setValue = (name: string, v: FieldValue) => {
    setValues((prev) => ({ ...prev, [name]: v }));
    setErrors((prev) => {
      if (!(name in prev)) return prev;
      const next = { ...prev };
      delete next[name];
      return next;
    });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const found = checkValues(form.fields, values);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const data = payload(form.fields, values, entity);
      if (entity) {
        const saved = await rpc.call<Entity>('updateEntity', { app, entity: entityType, id: entity.id, version: entity.version, data });
        setEntity(saved);
        setValues(mergeValues(form.fields, {}, saved));
      } else {
        await rpc.call('createEntity', { app, entity: entityType, data });
      }
      bumpData(entityType);
      const onSuccess = component.actions?.onSuccess;
      if (onSuccess) run(onSuccess, entityId ? { entityId } : {});
      else if (scope) run({ type: 'closeModal', modal: scope.id });
      else if (!entity) setValues(mergeValues(form.fields, {}));
    } catch (err) {
      if (err instanceof RpcError) {
        const fieldErrors = err.data?.fields ?? {};
        const known = Object.fromEntries(Object.entries(fieldErrors).filter(([k]) => form.fields.some((f) => f.name === k)));
        setErrors(known);
        const other = Object.entries(fieldErrors).filter(([k]) => !(k in known));
        if (err.torqueCode === 'ECONFLICT') {
          setFormError('Someone else changed this record meanwhile: close the form and open it again to see their change.');
        } else if (Object.keys(known).length === 0 || other.length > 0) {
          setFormError([err.message, ...other.map(([k, v]) => `${k}: ${v}`)].join('; '));
        }
      } else {
        setFormError(errorMessage(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const cancel = () => {
    const onCancel = component.actions?.onCancel;
    if (onCancel) run(onCancel);
    else if (scope) run({ type: 'closeModal', modal: scope.id });
  };

  return (
    <form onSubmit={submit} noValidate aria-label={`${entity ? 'Edit' : 'New'} ${form.title}`}>
      <Stack gap="sm">
        {formError && (
          <Alert color="red" role="alert">
            {formError}
          </Alert>
        )}
        {form.fields.map((f) => (
          <FieldInput key={f.name} field={f} value={values[f.name]} error={errors[f.name]}
            onChange={(v) => setValue(f.name, v)} />
        ))}
        <Group justify="flex-end" mt="sm">
          {(scope || component.actions?.onCancel) && (
            <Button variant="default" onClick={cancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={busy}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
