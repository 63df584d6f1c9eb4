// The "New relationship" dialog: the kind and the two entity types, with
// the names suggested from them (and following them until the builder
// types a name of their own); Create adds it and opens it.

import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Modal, Stack } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router-dom';
import type { JSONValue } from '../../model/types';
import { useEdit, useModel, useWorkspace } from '../context';
import { RelationshipFields, type Pickable } from './RelationshipFields';
import { follow, fromForm, initialValues, relationshipSchema, type RelationshipFormValues } from './relationshipForm';

export function NewRelationshipDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="New relationship" size="lg">
      <NewRelationshipForm onDone={onClose} />
    </Modal>
  );
}

function NewRelationshipForm({ onDone }: { onDone: () => void }) {
  const { name: model } = useWorkspace();
  const { doc } = useModel();
  const edit = useEdit();
  const navigate = useNavigate();
  const [initial] = useState(() => initialValues(doc));
  const schema = useMemo(() => relationshipSchema(doc), [doc]);
  const form = useForm<RelationshipFormValues>({ resolver: zodResolver(schema), mode: 'onChange', defaultValues: initial });
  const entities = doc.entities.map((e) => e.name);

  const pick = <K extends Pickable>(key: K, value: RelationshipFormValues[K]) => {
    const prev = form.getValues();
    const next = key === 'kind' || key === 'from' || key === 'to' ? follow(doc, prev, { ...prev, [key]: value }) : { ...prev, [key]: value };
    for (const k of Object.keys(next) as (keyof RelationshipFormValues)[]) {
      if (next[k] !== prev[k]) form.setValue(k, next[k], { shouldDirty: true });
    }
    void form.trigger();
  };

  const submit = form.handleSubmit((v) => {
    const r = fromForm(v);
    if (edit(`Add relationship ${r.name}`, [{ op: 'addRelationship', value: r as unknown as JSONValue }])) {
      onDone();
      navigate(`/models/${encodeURIComponent(model)}/relationships/${encodeURIComponent(r.name)}`);
    }
  });

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label="New relationship">
      <Stack>
        <RelationshipFields form={form} entities={entities} problems={{}} pick={pick} typed={() => undefined} autoFocus />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>Cancel</Button>
          <Button type="submit">Create</Button>
        </Group>
      </Stack>
    </form>
  );
}
