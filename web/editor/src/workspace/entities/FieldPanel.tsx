// The panel of one field: every setting, checked as the server checks it
// (Zod), applied as soon as it is valid (a name when the input is left or
// Enter is pressed) even while another input holds an error, with the
// server's own problems under the input.

import { zodResolver } from '@hookform/resolvers/zod';
import { Checkbox, Drawer, Group, SegmentedControl, Select, SimpleGrid, Stack, TagsInput, Text, TextInput, Textarea } from '@mantine/core';
import { useEffect, useId, useMemo } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { useNavigate, useParams } from 'react-router-dom';
import { diffPatch } from '../../model/patch';
import { fieldTypes, type Entity, type Field, type JSONObject } from '../../model/types';
import { useEdit, useProblems, useWorkspace } from '../context';
import { takeMembers } from '../formMembers';
import { useFormDraft } from '../useDraft';
import { fieldFormSchema, fieldGroups, fromForm, numberTypes, textTypes, toForm, type FieldFormValues } from './fieldForm';

export function FieldPanel({ entity }: { entity: Entity }) {
  const { name: model, setEditing } = useWorkspace();
  const fieldName = useParams().field ?? '';
  const field = entity.fields.find((f) => f.name === fieldName);
  const navigate = useNavigate();
  const back = `/models/${encodeURIComponent(model)}/entities/${encodeURIComponent(entity.name)}`;
  const path = field ? `entities/${entity.name}/fields/${field.name}` : null;
  useEffect(() => {
    setEditing(path);
    return () => setEditing(null);
  }, [setEditing, path]);
  return (
    <Drawer opened onClose={() => navigate(back)} position="right" size="md" title={field ? `Field ${entity.name}.${field.name}` : 'Field'}>
      {field ? (
        <FieldForm key={field.name} entity={entity} field={field} onRenamed={(n) => navigate(`${back}/fields/${encodeURIComponent(n)}`, { replace: true })} />
      ) : (
        <Text size="sm" c="dimmed">There is no field {fieldName} in {entity.name}: it was renamed or removed.</Text>
      )}
    </Drawer>
  );
}

const typeOptions = fieldTypes.map((t) => ({ value: t, label: t }));

/** What each setting is called in the label of its action: "Set maximum length of Task.title". */
const whats: Record<keyof FieldFormValues, string> = {
  name: 'name', displayName: 'display name', type: 'type', required: 'required', unique: 'unique', indexed: 'index', defaultValue: 'default',
  minLength: 'minimum length', maxLength: 'maximum length', pattern: 'pattern', min: 'minimum', max: 'maximum', values: 'values',
};

function FieldForm({ entity, field, onRenamed }: { entity: Entity; field: Field; onRenamed: (name: string) => void }) {
  const edit = useEdit();
  const problems = useProblems(`entities/${entity.name}/fields/${field.name}`);
  const taken = useMemo(() => entity.fields.map((f) => f.name).filter((n) => n !== field.name), [entity.fields, field.name]);
  const schema = useMemo(() => fieldFormSchema(taken), [taken]);
  const values = useMemo(() => toForm(field), [field]);
  const form = useForm<FieldFormValues>({ resolver: zodResolver(schema), mode: 'onChange', defaultValues: values });
  useFormDraft(form, values);
  const { errors } = form.formState;
  const type = useWatch({ control: form.control, name: 'type' });
  const label = `${entity.name}.${field.name}`;
  const indexLabel = useId();

  // Apply a valid change of one setting (with those checked with it) at
  // once, whatever another input holds; the name waits for blur or Enter.
  const apply = (k: keyof FieldFormValues) => {
    const v = takeMembers(values, form.getValues(), [k], fieldGroups, schema);
    if (!v) return;
    const patch = diffPatch(field as unknown as JSONObject, fromForm(v) as unknown as JSONObject);
    if (patch) edit(`Set ${whats[k]} of ${label}`, [{ op: 'updateField', entity: entity.name, field: field.name, value: patch }], { coalesce: true });
  };
  const rename = async () => {
    const n = form.getValues('name').trim();
    if (n === field.name || !(await form.trigger('name'))) return;
    if (edit(`Rename field ${label} to ${n}`, [{ op: 'updateField', entity: entity.name, field: field.name, value: { name: n } }])) onRenamed(n);
  };
  const err = (k: keyof FieldFormValues, server = k as string) => errors[k]?.message ?? problems[server];
  const check = () => void form.trigger();
  const reg = (k: keyof FieldFormValues) =>
    form.register(k, {
      onChange: () => {
        check();
        apply(k);
      },
    });

  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate aria-label={`Field ${label}`}>
      <Stack gap="sm">
        <TextInput label="Name" {...form.register('name')} error={err('name')} onBlur={() => void rename()}
          onKeyDown={(e) => e.key === 'Enter' && void rename()} description="Used in the API and in stored records" />
        <TextInput label="Display name" placeholder={field.name} {...reg('displayName')} error={err('displayName')} />
        <Controller control={form.control} name="type" render={({ field: f }) => (
          <Select label="Type" data={typeOptions} value={f.value} allowDeselect={false} error={err('type')}
            onChange={(v) => { f.onChange(v); check(); apply('type'); }} />
        )} />
        <Group gap="lg">
          <Controller control={form.control} name="required" render={({ field: f }) => (
            <Checkbox label="Required" checked={f.value} error={problems.required}
              onChange={(e) => { f.onChange(e.currentTarget.checked); apply('required'); }} />
          )} />
          <Controller control={form.control} name="unique" render={({ field: f }) => (
            <Checkbox label="Unique" checked={f.value} error={problems.unique}
              onChange={(e) => { f.onChange(e.currentTarget.checked); apply('unique'); }} />
          )} />
        </Group>
        {type === 'enum' && (
          <Controller control={form.control} name="values" render={({ field: f }) => (
            <TagsInput label="Values" description="Enter adds a value" value={f.value} error={err('values')}
              onChange={(v) => { f.onChange(v); check(); apply('values'); }} />
          )} />
        )}
        {textTypes.includes(type) && (
          <>
            <SimpleGrid cols={2}>
              <TextInput label="Minimum length" inputMode="numeric" {...reg('minLength')} error={err('minLength')} />
              <TextInput label="Maximum length" inputMode="numeric" {...reg('maxLength')} error={err('maxLength')} />
            </SimpleGrid>
            <TextInput label="Pattern" description="A regular expression the whole value must match" {...reg('pattern')} error={err('pattern')} />
          </>
        )}
        {numberTypes.includes(type) && (
          <SimpleGrid cols={2}>
            <TextInput label="Minimum" inputMode="decimal" {...reg('min')} error={err('min')} />
            <TextInput label="Maximum" inputMode="decimal" {...reg('max')} error={err('max')} />
          </SimpleGrid>
        )}
        {type === 'json' ? (
          <Textarea label="Default value" autosize minRows={2} {...reg('defaultValue')} error={err('defaultValue', 'default')} />
        ) : (
          <TextInput label="Default value" description={type === 'boolean' ? 'true or false' : type === 'date' ? 'e.g. 2026-11-24' : undefined}
            {...reg('defaultValue')} error={err('defaultValue', 'default')} />
        )}
        <Controller control={form.control} name="indexed" render={({ field: f }) => (
          <Stack gap={4}>
            <Text size="sm" fw={500} id={indexLabel}>Index</Text>
            <SegmentedControl aria-labelledby={indexLabel} value={f.value} size="xs"
              data={[{ value: 'default', label: 'Default for the type' }, { value: 'yes', label: 'Indexed' }, { value: 'no', label: 'Not indexed' }]}
              onChange={(v) => { f.onChange(v); apply('indexed'); }} />
          </Stack>
        )} />
      </Stack>
    </form>
  );
}
