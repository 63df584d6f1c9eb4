// Entities: the model's entity types, with "Add entity" (type a name,
// Enter saves), and the editor of the selected one.

import { Badge, Button, Grid, NavLink, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type KeyboardEvent } from 'react';
import { Navigate, NavLink as RouterLink, Route, Routes, useNavigate } from 'react-router-dom';
import { entityNameError } from '../../model/names';
import { useEdit, useModel, useWorkspace } from '../context';
import { EntityEditor } from './EntityEditor';

export function EntitiesSection() {
  const { doc } = useModel();
  const first = doc.entities[0]?.name;
  return (
    <Grid gutter="lg">
      <Grid.Col span={{ base: 12, md: 3 }}>
        <EntityList />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 9 }}>
        <Routes>
          <Route path=":entity/*" element={<EntityEditor />} />
          <Route index element={first ? <Navigate to={encodeURIComponent(first)} replace /> : <NoEntities />} />
        </Routes>
      </Grid.Col>
    </Grid>
  );
}

function NoEntities() {
  return (
    <Paper withBorder p="xl" radius="md">
      <Stack align="center" gap={4}>
        <Text fw={600}>No entity types yet</Text>
        <Text size="sm" c="dimmed">An entity type is a kind of record, such as Task or Customer. Add one to start.</Text>
      </Stack>
    </Paper>
  );
}

function EntityList() {
  const { name } = useWorkspace();
  const { doc } = useModel();
  const edit = useEdit();
  const navigate = useNavigate();
  const [adding, setAdding] = useState(false);
  const [draft, setDraft] = useState('');
  const [touched, setTouched] = useState(false);
  const problem = touched || draft ? entityNameError(doc, draft) : null;

  const add = () => {
    setTouched(true);
    const n = draft.trim();
    if (entityNameError(doc, n)) return;
    if (edit(`Add entity ${n}`, [{ op: 'addEntity', value: { name: n, fields: [] } }])) {
      setDraft('');
      setTouched(false);
      setAdding(false);
      navigate(`/models/${encodeURIComponent(name)}/entities/${encodeURIComponent(n)}`);
    }
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      add();
    } else if (e.key === 'Escape') {
      setAdding(false);
      setDraft('');
      setTouched(false);
    }
  };

  return (
    <Stack gap="xs">
      <Title order={2} size="h4">Entities</Title>
      <nav aria-label="Entity types">
        {doc.entities.map((e) => (
          <NavLink key={e.name} component={RouterLink} to={`/models/${encodeURIComponent(name)}/entities/${encodeURIComponent(e.name)}`}
            label={e.name} description={e.displayName && e.displayName !== e.name ? e.displayName : undefined}
            rightSection={<Badge size="xs" variant="light" color="gray">{e.fields.length}</Badge>} />
        ))}
      </nav>
      {adding ? (
        <TextInput label="New entity name" placeholder="Task" description="Enter saves, Escape cancels" data-autofocus autoFocus
          value={draft} error={problem} onChange={(e) => setDraft(e.currentTarget.value)} onKeyDown={onKey}
          onBlur={() => !draft && setAdding(false)} />
      ) : (
        <Button variant="light" onClick={() => setAdding(true)}>Add entity</Button>
      )}
    </Stack>
  );
}
