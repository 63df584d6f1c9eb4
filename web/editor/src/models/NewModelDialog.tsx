// The "New model" dialog: a name, a description, and blank or a template.

import { useMutation, useQuery } from '@apollo/client/react';
import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Group, Modal, Radio, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { Controller, useForm } from 'react-hook-form';
import { useNavigate } from 'react-router-dom';
import { toSaveError } from '../graphql/errors';
import { CREATE_FROM_TEMPLATE, CREATE_MODEL, EDIT_MODEL, MODEL_TEMPLATES } from '../graphql/operations';
import { newModelSchema, type NewModel } from '../model/names';

interface Template {
  name: string;
  title: string;
  description: string;
}

export function NewModelDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const templates = useQuery<{ modelTemplates: Template[] }>(MODEL_TEMPLATES, { skip: !opened });
  const [create] = useMutation(CREATE_MODEL, { refetchQueries: ['Models'] });
  const [fromTemplate] = useMutation(CREATE_FROM_TEMPLATE, { refetchQueries: ['Models'] });
  const [edit] = useMutation(EDIT_MODEL);
  const form = useForm<NewModel>({
    resolver: zodResolver(newModelSchema),
    defaultValues: { name: '', description: '', template: '' },
  });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (v) => {
    try {
      if (v.template) {
        const res = await fromTemplate({ variables: { template: v.template, name: v.name.trim() } });
        const made = (res.data as { createModelFromTemplate?: { version: number } } | undefined)?.createModelFromTemplate;
        if (made && v.description.trim()) {
          await edit({ variables: { name: v.name.trim(), baseVersion: made.version, edits: [{ op: 'setDescription', value: v.description }] } });
        }
      } else {
        await create({
          variables: {
            input: { name: v.name.trim(), description: v.description, entities: [], relationships: [], pages: [], xflows: [] },
          },
        });
      }
      form.reset();
      onClose();
      navigate(`/models/${encodeURIComponent(v.name.trim())}/entities`);
    } catch (e) {
      const err = toSaveError(e);
      const nameProblem = err.fields.name ?? (err.code === 'CONFLICT' ? err.message : undefined);
      if (nameProblem) form.setError('name', { message: nameProblem });
      else form.setError('root', { message: err.message });
    }
  });

  const options: Template[] = [{ name: '', title: 'Blank', description: 'Start from nothing.' }, ...(templates.data?.modelTemplates ?? [])];

  return (
    <Modal opened={opened} onClose={onClose} title="New model" size="lg">
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="New model">
        <Stack>
          <TextInput label="Name" placeholder="Inventory" data-autofocus autoComplete="off" required
            description="Letters, digits, “_” and “-”; it names the model in the API." error={errors.name?.message}
            {...form.register('name')} />
          <Textarea label="Description" autosize minRows={2} error={errors.description?.message} {...form.register('description')} />
          <Controller
            control={form.control}
            name="template"
            render={({ field }) => (
              <Radio.Group label="Start from" value={field.value} onChange={field.onChange}>
                <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs">
                  {options.map((t) => (
                    <Radio.Card key={t.name || 'blank'} value={t.name} p="sm" radius="md" aria-label={t.title}>
                      <Group wrap="nowrap" align="flex-start">
                        <Radio.Indicator />
                        <div>
                          <Text fw={600} size="sm">{t.title}</Text>
                          <Text size="xs" c="dimmed">{t.description}</Text>
                        </div>
                      </Group>
                    </Radio.Card>
                  ))}
                </SimpleGrid>
              </Radio.Group>
            )}
          />
          {templates.error && <Text size="xs" c="dimmed">Templates could not be loaded: {templates.error.message}</Text>}
          {errors.root && <Alert color="red" role="alert">{errors.root.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={isSubmitting}>Create</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
