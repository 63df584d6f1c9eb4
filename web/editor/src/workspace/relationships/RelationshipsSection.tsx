// Relationships: the model's relationships as a table (the text
// alternative of the diagram), "Add relationship", the editor of the
// selected one, and the diagram of the entity types and their links.

import { Badge, Button, Grid, Group, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { Link, NavLink as RouterLink, Navigate, Route, Routes, useParams } from 'react-router-dom';
import type { OnDelete, Relationship } from '../../model/types';
import { useModel, useWorkspace } from '../context';
import { EditingBadge } from '../presence';
import { Diagram } from './Diagram';
import { NewRelationshipDialog } from './NewRelationshipDialog';
import { RelationshipEditor } from './RelationshipEditor';
import { defaultOnDelete, missingEnds } from './relationshipForm';

export function RelationshipsSection() {
  const { doc } = useModel();
  const first = doc.relationships[0]?.name;
  return (
    <Stack gap="lg">
      <SectionHeader />
      <Routes>
        <Route path=":relationship" element={<Selected />} />
        <Route index element={first ? <Navigate to={encodeURIComponent(first)} replace /> : <NoRelationships />} />
      </Routes>
    </Stack>
  );
}

function SectionHeader() {
  const { doc } = useModel();
  const [adding, setAdding] = useState(false);
  const none = doc.entities.length === 0;
  return (
    <Group justify="space-between" align="flex-end">
      <div>
        <Title order={2} size="h3">Relationships</Title>
        <Text size="sm" c="dimmed">How the entity types link to each other, and what deleting one does to the other.</Text>
      </div>
      <Tooltip label="Add an entity type first" disabled={!none}>
        <Button data-disabled={none || undefined} aria-disabled={none || undefined} onClick={() => !none && setAdding(true)}>Add relationship</Button>
      </Tooltip>
      <NewRelationshipDialog opened={adding} onClose={() => setAdding(false)} />
    </Group>
  );
}

function Selected() {
  const selected = useParams().relationship ?? '';
  return (
    <>
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <RelationshipTable selected={selected} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <RelationshipEditor />
        </Grid.Col>
      </Grid>
      <Diagram selected={selected} />
    </>
  );
}

function NoRelationships() {
  const { name } = useWorkspace();
  const { doc } = useModel();
  return (
    <>
      <Paper withBorder p="xl" radius="md">
        <Stack align="center" gap={4}>
          <Text fw={600}>No relationships yet</Text>
          <Text size="sm" c="dimmed" ta="center" maw={560}>
            A relationship links two entity types, such as a Project and its Tasks: each end gets a name to navigate by
            (a project’s “tasks”, a task’s “project”), and it says what deleting one does to the other.
          </Text>
          {doc.entities.length === 0 ? (
            <Text size="sm" mt="xs">
              Start by adding entity types in <Text component={Link} to={`/models/${encodeURIComponent(name)}/entities`} c="indigo.7" inherit>Entities</Text>.
            </Text>
          ) : (
            <Text size="sm" mt="xs">Use “Add relationship” to link two of them.</Text>
          )}
        </Stack>
      </Paper>
      <Diagram />
    </>
  );
}

const onDeleteColor: Record<OnDelete, string> = { restrict: 'blue', cascade: 'orange', 'set-null': 'gray' };

function RelationshipTable({ selected }: { selected: string }) {
  const { name } = useWorkspace();
  const { doc } = useModel();
  return (
    <Paper withBorder radius="md" p="md">
      <Table.ScrollContainer minWidth={420}>
        <Table verticalSpacing="xs" horizontalSpacing="xs" highlightOnHover aria-label="Relationships" style={{ whiteSpace: 'nowrap' }}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>From → To</Table.Th>
              <Table.Th>On delete</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {doc.relationships.map((r) => (
              <RelationshipRow key={r.name} rel={r} active={r.name === selected} missing={missingEnds(doc, r)}
                to={`/models/${encodeURIComponent(name)}/relationships/${encodeURIComponent(r.name)}`} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function RelationshipRow({ rel, active, missing, to }: { rel: Relationship; active: boolean; missing: string[]; to: string }) {
  const { presence } = useWorkspace();
  const rule = rel.onDelete ?? defaultOnDelete(rel.kind);
  const end = (entity: string) =>
    missing.includes(entity) ? (
      <Text span size="sm" c="red.7" fw={600} title={`There is no entity type ${entity}`}>⚠ {entity}</Text>
    ) : (
      <Text span size="sm">{entity}</Text>
    );
  return (
    <Table.Tr style={active ? { background: 'var(--mantine-color-indigo-0)' } : undefined}>
      <Table.Td>
        <Text component={RouterLink} to={to} size="sm" fw={600} c="indigo.7">{rel.name}</Text>
        <Group gap={4}>
          {missing.length > 0 && <Badge size="xs" color="red" variant="filled">broken</Badge>}
          <EditingBadge presence={presence} path={`relationships/${rel.name}`} />
        </Group>
      </Table.Td>
      <Table.Td><Text size="sm">{rel.kind}</Text></Table.Td>
      <Table.Td>
        <Text size="sm">{end(rel.from)} → {end(rel.to)}</Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Badge variant="light" tt="none" color={onDeleteColor[rule]}>{rule}</Badge>
          {rel.required && <Text size="xs" c="dimmed">required</Text>}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
