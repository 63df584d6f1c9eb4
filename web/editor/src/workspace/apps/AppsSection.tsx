// Apps: the applications made from this model that the builder can see,
// each opening at /app/{name}/; making a new one (admins), and deleting
// one with all of its records after a confirmation.

import { useMutation, useQuery } from '@apollo/client/react';
import { zodResolver } from '@hookform/resolvers/zod';
import {
  Alert, Anchor, Button, Center, Grid, Group, Loader, Modal, Paper, Stack, Text, TextInput, Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useSigned } from '../../auth/Session';
import { errorMessage, toSaveError } from '../../graphql/errors';
import { CREATE_APP, DELETE_APP, MODEL_APP_LIST } from '../../graphql/operations';
import { relativeTime } from '../../models/time';
import { useWorkspace } from '../context';
import { appURL, newAppSchema, suggestAppName, type NewApp } from './appName';
import { IconExternalLink } from '@tabler/icons-react';
import { LoadFailed } from '../../shell/LoadFailed';

interface App {
  name: string;
  model: string;
  createdAt: string;
}

interface AppsData {
  model: { id: string; apps: App[] } | null;
}

export function AppsSection() {
  const { name } = useWorkspace();
  const { data, loading, error, refetch } = useQuery<AppsData>(MODEL_APP_LIST, { variables: { name } });
  const [deleting, setDeleting] = useState<string | null>(null);
  const apps = data?.model?.apps ?? [];

  return (
    <Grid gutter="lg">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Stack gap="xs">
          <Title order={2} size="h4">Apps</Title>
          <Text size="sm" c="dimmed">
            The applications made from {name}. Each follows the model’s latest version and keeps its own records and members.
          </Text>
          {error && !data ? (
            <LoadFailed what="The apps" error={error} retry={refetch} />
          ) : loading && !data ? (
            <Center py="xl"><Loader aria-label="Loading the apps" /></Center>
          ) : apps.length === 0 ? (
            <Paper withBorder p="xl" radius="md">
              <Stack align="center" gap={4}>
                <Text fw={600}>No apps from this model yet</Text>
                <Text size="sm" c="dimmed" ta="center">An app is where people work with records of this model: create one to open it in the browser.</Text>
              </Stack>
            </Paper>
          ) : (
            <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
              <Stack component="ul" gap={0} m={0} p={0} aria-label={`Apps made from ${name}`} style={{ listStyle: 'none' }}>
                {apps.map((a, i) => (
                  <Group component="li" key={a.name} justify="space-between" wrap="nowrap" gap="sm" px="md" py="sm"
                    style={{ borderTop: i === 0 ? undefined : '1px solid var(--mantine-color-gray-2)' }}>
                    <Stack gap={0} style={{ minWidth: 0 }}>
                      <Text fw={600} size="sm" truncate>{a.name}</Text>
                      <Text size="xs" c="dimmed" truncate>
                        {appURL(a.name)} · created <time dateTime={a.createdAt} title={new Date(a.createdAt).toLocaleString()}>{relativeTime(a.createdAt)}</time>
                      </Text>
                    </Stack>
                    <Group gap={4} wrap="nowrap">
                      <Button component="a" href={appURL(a.name)} target="_blank" rel="noopener noreferrer" size="compact-sm" variant="light"
                        aria-label={`Open ${a.name} (opens in a new tab)`}>
                        Open <IconExternalLink size={14} style={{ verticalAlign: -2 }} />
                      </Button>
                      <Button size="compact-sm" variant="subtle" color="red" onClick={() => setDeleting(a.name)} aria-label={`Delete app ${a.name}`}>
                        Delete
                      </Button>
                    </Group>
                  </Group>
                ))}
              </Stack>
            </Paper>
          )}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <CreateApp taken={apps.map((a) => a.name)} />
      </Grid.Col>
      {deleting !== null && <DeleteApp app={deleting} onClose={() => setDeleting(null)} />}
    </Grid>
  );
}

function CreateApp({ taken }: { taken: string[] }) {
  const { name: model } = useWorkspace();
  const { user } = useSigned();
  const schema = useMemo(() => newAppSchema(taken), [taken]);
  const form = useForm<NewApp>({ resolver: zodResolver(schema), defaultValues: { name: '' } });
  const [create] = useMutation(CREATE_APP, { refetchQueries: ['ModelAppList', 'ModelApps'], awaitRefetchQueries: true });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (v) => {
    try {
      await create({ variables: { name: v.name, model } });
      notifications.show({
        color: 'teal',
        title: `App ${v.name} created`,
        message: <>It opens at <Anchor href={appURL(v.name)} target="_blank" rel="noopener noreferrer" size="sm">{appURL(v.name)}</Anchor>.</>,
      });
      form.reset({ name: '' });
    } catch (e) {
      const err = toSaveError(e);
      const nameProblem = err.fields.name ?? (err.code === 'CONFLICT' ? err.message : undefined);
      if (nameProblem) form.setError('name', { message: nameProblem });
      else form.setError('root', { message: errorMessage(e) });
    }
  });

  return (
    <Paper withBorder radius="md" p="md">
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Create an app">
        <Stack gap="sm">
          <Title order={3} size="h5">Create an app</Title>
          {!user.admin && (
            <Text size="sm" c="dimmed">Only admins create apps. Ask one to make an app from this model.</Text>
          )}
          <TextInput label="App name" placeholder={suggestAppName(model, taken)} autoComplete="off" required disabled={!user.admin}
            description="Lowercase letters, digits and “-”; the app opens at /app/{name}/." error={errors.name?.message}
            {...form.register('name', { onChange: () => form.clearErrors('root') })} />
          {errors.root && <Alert color="red" role="alert" p="xs"><Text size="sm">{errors.root.message}</Text></Alert>}
          <Group justify="flex-end">
            <Button type="submit" loading={isSubmitting} disabled={!user.admin}>Create app</Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** DeleteApp confirms deleting an app: the builder types its name, as the loss cannot be undone. */
function DeleteApp({ app, onClose }: { app: string; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [remove, { loading }] = useMutation(DELETE_APP, { refetchQueries: ['ModelAppList', 'ModelApps'], awaitRefetchQueries: true });
  const confirm = async () => {
    setProblem(null);
    try {
      await remove({ variables: { name: app } });
      notifications.show({ color: 'teal', title: `App ${app} deleted`, message: 'Its records and members are gone; the model stays.' });
      onClose();
    } catch (e) {
      setProblem(errorMessage(e));
    }
  };
  return (
    <Modal opened onClose={onClose} title={`Delete app ${app}?`}>
      <form onSubmit={(e) => { e.preventDefault(); if (typed === app) void confirm(); }} noValidate>
        <Stack>
          <Text size="sm">
            Every record stored in <b>{app}</b>, the links between them, and the roles of its members are deleted for good, and{' '}
            {appURL(app)} stops working. The model and its versions stay. This cannot be undone.
          </Text>
          <TextInput label={`Type ${app} to confirm`} value={typed} autoComplete="off" data-autofocus
            onChange={(e) => setTyped(e.currentTarget.value)} />
          {problem && <Alert color="red" role="alert" p="xs"><Text size="sm">{problem}</Text></Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" color="red" loading={loading} disabled={typed !== app}>Delete app</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
