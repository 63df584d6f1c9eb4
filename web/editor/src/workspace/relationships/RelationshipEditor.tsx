// The editor of one relationship: every setting, checked as the server
// checks it (Zod), applied as soon as it is valid even while another
// input holds an error (the name when its input is left or Enter is
// pressed), with the server's own problems
// under the inputs; a relationship to an entity type the model lacks is
// shown as broken. Deleting asks first.

import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Badge, Button, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate, useParams } from 'react-router-dom';
import { diffPatch } from '../../model/patch';
import type { JSONObject, Relationship } from '../../model/types';
import { useEdit, useModel, useProblems, useWorkspace } from '../context';
import { takeMembers } from '../formMembers';
import { EditingBadge } from '../presence';
import { useFormDraft } from '../useDraft';
import { RelationshipFields, type Pickable, type Typeable } from './RelationshipFields';
import { follow, fromForm, kindSigil, missingEnds, relationshipGroups, relationshipSchema, toForm, type RelationshipFormValues } from './relationshipForm';

export function RelationshipEditor() {
  const { name: model, setEditing, presence } = useWorkspace();
  const relName = useParams().relationship ?? '';
  const { doc } = useModel();
  const edit = useEdit();
  const navigate = useNavigate();
  const [confirm, setConfirm] = useState(false);
  const rel = doc.relationships.find((r) => r.name === relName);
  const list = `/models/${encodeURIComponent(model)}/relationships`;
  const path = rel ? `relationships/${rel.name}` : null;
  useEffect(() => {
    setEditing(path);
    return () => setEditing(null);
  }, [setEditing, path]);

  if (!rel) {
    return (
      <Alert color="gray" title={`No relationship ${relName}`}>
        <Stack gap="xs">
          <Text size="sm">It was renamed or removed, perhaps by someone else.</Text>
          <Button size="xs" variant="default" w="fit-content" onClick={() => navigate(list)}>All relationships</Button>
        </Stack>
      </Alert>
    );
  }
  const missing = missingEnds(doc, rel);
  return (
    <Paper withBorder p="md" radius="md">
      <Group justify="space-between" align="flex-start" mb="sm" wrap="nowrap">
        <Group gap="xs" style={{ minWidth: 0 }}>
          <Title order={3} size="h4" style={{ overflowWrap: 'anywhere' }}>{rel.name}</Title>
          <Badge variant="light" tt="none">{kindSigil(rel.kind)}</Badge>
          <EditingBadge presence={presence} path={`relationships/${rel.name}`} />
        </Group>
        <Button color="red" variant="subtle" size="xs" onClick={() => setConfirm(true)}>Delete relationship</Button>
      </Group>
      {missing.length > 0 && (
        <Alert color="red" title="This relationship is broken" mb="md" role="alert">
          It refers to {missing.map((m) => `“${m}”`).join(' and ')}, which {missing.length > 1 ? 'are not entity types' : 'is not an entity type'} of
          this model. Choose one of the model’s entity types below, or delete the relationship.
        </Alert>
      )}
      <RelationshipForm key={rel.name} rel={rel} onRenamed={(n) => navigate(`${list}/${encodeURIComponent(n)}`, { replace: true })} />
      <Modal opened={confirm} onClose={() => setConfirm(false)} title={`Delete ${rel.name}?`}>
        <Stack>
          <Text size="sm">
            {rel.from} and {rel.to} are no longer linked: the “{rel.toField}” references and the links go with it. Undo brings it back.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(false)}>Cancel</Button>
            <Button color="red" onClick={() => {
              setConfirm(false);
              if (edit(`Delete relationship ${rel.name}`, [{ op: 'removeRelationship', relationship: rel.name }])) navigate(list);
            }}>Delete</Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}

const whats: Record<keyof RelationshipFormValues, string> = {
  name: 'name', kind: 'kind', from: 'from entity', to: 'to entity', fromField: 'from field', toField: 'to field', onDelete: 'on delete', required: 'required',
};

function RelationshipForm({ rel, onRenamed }: { rel: Relationship; onRenamed: (name: string) => void }) {
  const { doc } = useModel();
  const edit = useEdit();
  const problems = useProblems(`relationships/${rel.name}`);
  const schema = useMemo(() => relationshipSchema(doc, rel.name), [doc, rel.name]);
  const values = useMemo(() => toForm(rel), [rel]);
  const form = useForm<RelationshipFormValues>({ resolver: zodResolver(schema), mode: 'onChange', defaultValues: values });
  useFormDraft(form, values);

  // Apply the members changed (with those checked with them) when they are
  // valid, whatever another input holds; the name waits for blur or Enter.
  const apply = (key: keyof RelationshipFormValues, changed: (keyof RelationshipFormValues)[], coalesce: boolean) => {
    const v = takeMembers(values, form.getValues(), changed, relationshipGroups, schema);
    if (!v) return;
    const patch = diffPatch(rel as unknown as JSONObject, fromForm(v) as unknown as JSONObject);
    if (patch) edit(`Set ${whats[key]} of ${rel.name}`, [{ op: 'updateRelationship', relationship: rel.name, value: patch }], { coalesce });
  };
  const pick = <K extends Pickable>(key: K, value: RelationshipFormValues[K]) => {
    const prev = form.getValues();
    const moved = key === 'kind' || key === 'from' || key === 'to';
    const next = moved ? follow(doc, prev, { ...prev, [key]: value }, rel.name, ['fromField', 'toField']) : { ...prev, [key]: value };
    const changed = (Object.keys(next) as (keyof RelationshipFormValues)[]).filter((k) => next[k] !== prev[k]);
    for (const k of changed) form.setValue(k, next[k], { shouldDirty: true });
    void form.trigger();
    apply(key, [key, ...changed], false);
  };
  const typed = (key: Typeable) => {
    void form.trigger();
    if (key !== 'name') apply(key, [key], true);
  };
  const rename = async () => {
    const n = form.getValues('name').trim();
    if (n === rel.name || !(await form.trigger('name'))) return;
    if (edit(`Rename relationship ${rel.name} to ${n}`, [{ op: 'updateRelationship', relationship: rel.name, value: { name: n } }])) onRenamed(n);
  };

  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate aria-label={`Relationship ${rel.name}`}>
      <RelationshipFields form={form} entities={doc.entities.map((e) => e.name)} problems={problems} pick={pick} typed={typed}
        onNameDone={() => void rename()}
        onNameKey={(e) => {
          if (e.key === 'Enter') void rename();
          if (e.key === 'Escape') form.setValue('name', rel.name, { shouldValidate: true });
        }} />
    </form>
  );
}
