// The editor of one entity type: its name and display name, its fields
// (add, edit, reorder by dragging or from the keyboard, delete), and the
// field panel of the field in the URL.

import { Alert, Button, Group, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Route, Routes, useNavigate, useParams } from 'react-router-dom';
import { entityNameError } from '../../model/names';
import { useEdit, useModel, useProblems, useWorkspace } from '../context';
import { useDraft } from '../useDraft';
import { FieldPanel } from './FieldPanel';
import { FieldsTable } from './FieldsTable';

export function EntityEditor() {
  const { name } = useWorkspace();
  const entityName = useParams().entity ?? '';
  const { doc } = useModel();
  const entity = doc.entities.find((e) => e.name === entityName);
  const navigate = useNavigate();
  if (!entity) {
    return (
      <Alert color="gray" title={`No entity type ${entityName}`}>
        <Stack gap="xs">
          <Text size="sm">It was renamed or removed, perhaps by someone else.</Text>
          <Button size="xs" variant="default" w="fit-content" onClick={() => navigate(`/models/${encodeURIComponent(name)}/entities`)}>
            All entity types
          </Button>
        </Stack>
      </Alert>
    );
  }
  return (
    <Stack gap="md">
      <EntityHeader key={entity.name} entity={entity.name} displayName={entity.displayName ?? ''} />
      <FieldsTable entity={entity} />
      <Routes>
        <Route path="fields/:field" element={<FieldPanel entity={entity} />} />
      </Routes>
    </Stack>
  );
}

function EntityHeader({ entity, displayName }: { entity: string; displayName: string }) {
  const { name } = useWorkspace();
  const { doc } = useModel();
  const edit = useEdit();
  const navigate = useNavigate();
  const problems = useProblems(`entities/${entity}`);
  const [draft, setDraft] = useState(entity);
  // The display name follows others (and undo) as they change it.
  const [label, setLabel] = useDraft(displayName);
  const [confirm, setConfirm] = useState(false);
  const problem = draft !== entity ? entityNameError(doc, draft, entity) : null;

  const rename = () => {
    const n = draft.trim();
    if (n === entity || problem) return;
    if (edit(`Rename entity ${entity} to ${n}`, [{ op: 'updateEntity', entity, value: { name: n } }])) {
      navigate(`/models/${encodeURIComponent(name)}/entities/${encodeURIComponent(n)}`, { replace: true });
    }
  };
  const relationships = doc.relationships.filter((r) => r.from === entity || r.to === entity);

  return (
    <Paper withBorder p="md" radius="md">
      <Group justify="space-between" align="flex-start" mb="sm">
        <Title order={2} size="h3">{entity}</Title>
        <Button color="red" variant="subtle" size="xs" onClick={() => setConfirm(true)}>Delete entity</Button>
      </Group>
      <Group grow align="flex-start">
        <TextInput label="Entity name" value={draft} error={problem ?? problems.name}
          onChange={(e) => setDraft(e.currentTarget.value)} onBlur={rename}
          onKeyDown={(e) => {
            if (e.key === 'Enter') rename();
            if (e.key === 'Escape') setDraft(entity);
          }} />
        <TextInput label="Display name" value={label} error={problems.displayName} placeholder={entity}
          onChange={(e) => {
            const v = e.currentTarget.value;
            setLabel(v);
            edit(`Set display name of ${entity}`, [{ op: 'updateEntity', entity, value: { displayName: v.trim() || null } }], { coalesce: true });
          }} />
      </Group>
      <Modal opened={confirm} onClose={() => setConfirm(false)} title={`Delete ${entity}?`}>
        <Stack>
          <Text size="sm">
            The entity type and its fields go{relationships.length > 0 && <>, with {relationships.length} relationship{relationships.length > 1 ? 's' : ''} ({relationships.map((r) => r.name).join(', ')})</>}.
            Undo brings it back.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(false)}>Cancel</Button>
            <Button color="red" onClick={() => {
              setConfirm(false);
              if (edit(`Delete entity ${entity}`, [{ op: 'removeEntity', entity }])) navigate(`/models/${encodeURIComponent(name)}/entities`);
            }}>Delete</Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
