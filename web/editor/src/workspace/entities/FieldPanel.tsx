// The panel of one field: every setting, checked as the server checks it
// (Zod), applied as soon as it is valid (a name when the input is left or
// Enter is pressed), with the server's own problems under the input.

import { zodResolver } from '@hookform/resolvers/zod';
import { Checkbox, Drawer, Group, SegmentedControl, Select, SimpleGrid, Stack, TagsInput, Text, TextInput, Textarea } from '@mantine/core';
import { useEffect, useMemo, useRef } from 'react';
import { Controller, useForm, useWatch, type UseFormReturn } from 'react-hook-form';
import { useNavigate, useParams } from 'react-router-dom';
import { diffPatch, equal } from '../../model/patch';
import { fieldTypes, type Entity, type Field, type JSONObject } from '../../model/types';
import { useEdit, useProblems, useWorkspace } from '../context';
import { fieldFormSchema, fromForm, numberTypes, textTypes, toForm, type FieldFormValues } from './fieldForm';

export function FieldPanel({ entity }: { entity: Entity }) {
  const { name: model, setEditing } = useWorkspace();
  const fieldName = useParams().field ?? '';
  const field = entity.fields.find((f) => f.name === fieldName);
  const navigate = useNavigate();
  const back = `/models/${encodeURIComponent(model)}/entities/${encodeURIComponent(entity.name)}`;
  useEffect(() => {
    setEditing(field ? `entities/${entity.name}/fields/${field.name}` : null);
    return () => setEditing(null);
  }, [setEditing, entity.name, field]);
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

function FieldForm({ entity, field, onRenamed }: { entity: Entity; field: Field; onRenamed: (name: string) => void }) {
  const edit = useEdit();
  const problems = useProblems(`entities/${entity.name}/fields/${field.name}`);
  const taken = useMemo(() => entity.fields.map((f) => f.name).filter((n) => n !== field.name), [entity.fields, field.name]);
  const schema = useMemo(() => fieldFormSchema(taken), [taken]);
  const values = useMemo(() => toForm(field), [field]);
  const form = useForm<FieldFormValues>({ resolver: zodResolver(schema), mode: 'onChange', defaultValues: values });
  useFollow(form, values);
  const { errors } = form.formState;
  const type = useWatch({ control: form.control, name: 'type' });
  const label = `${entity.name}.${field.name}`;

  // Apply every valid change but the name's, which waits for blur or Enter.
  const apply = (what: string) => {
    const v = form.getValues();
    const parsed = schema.safeParse({ ...v, name: field.name });
    if (!parsed.success) return;
    const next = fromForm({ ...v, name: field.name });
    const patch = diffPatch(field as unknown as JSONObject, next as unknown as JSONObject);
    if (patch) edit(`Set ${what} of ${label}`, [{ op: 'updateField', entity: entity.name, field: field.name, value: patch }], { coalesce: true });
  };
  const rename = async () => {
    const n = form.getValues('name').trim();
    if (n === field.name || !(await form.trigger('name'))) return;
    if (edit(`Rename field ${label} to ${n}`, [{ op: 'updateField', entity: entity.name, field: field.name, value: { name: n } }])) onRenamed(n);
  };
  const err = (k: keyof FieldFormValues, server = k as string) => errors[k]?.message ?? problems[server];
  const reg = (k: keyof FieldFormValues, what: string) =>
    form.register(k, { onChange: () => void form.trigger().then(() => apply(what)) });

  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate aria-label={`Field ${label}`}>
      <Stack gap="sm">
        <TextInput label="Name" {...form.register('name')} error={err('name')} onBlur={() => void rename()}
          onKeyDown={(e) => e.key === 'Enter' && void rename()} description="Used in the API and in stored records" />
        <TextInput label="Display name" placeholder={field.name} {...reg('displayName', 'display name')} error={err('displayName')} />
        <Controller control={form.control} name="type" render={({ field: f }) => (
          <Select label="Type" data={typeOptions} value={f.value} allowDeselect={false} error={err('type')}
            onChange={(v) => { f.onChange(v); void form.trigger().then(() => apply('type')); }} />
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
              onChange={(v) => { f.onChange(v); void form.trigger().then(() => apply('values')); }} />
          )} />
        )}
        {textTypes.includes(type) && (
          <>
            <SimpleGrid cols={2}>
              <TextInput label="Minimum length" inputMode="numeric" {...reg('minLength', 'minimum length')} error={err('minLength')} />
              <TextInput label="Maximum length" inputMode="numeric" {...reg('maxLength', 'maximum length')} error={err('maxLength')} />
            </SimpleGrid>
            <TextInput label="Pattern" description="A regular expression the whole value must match" {...reg('pattern', 'pattern')} error={err('pattern')} />
          </>
        )}
        {numberTypes.includes(type) && (
          <SimpleGrid cols={2}>
            <TextInput label="Minimum" inputMode="decimal" {...reg('min', 'minimum')} error={err('min')} />
            <TextInput label="Maximum" inputMode="decimal" {...reg('max', 'maximum')} error={err('max')} />
          </SimpleGrid>
        )}
        {type === 'json' ? (
          <Textarea label="Default value" autosize minRows={2} {...reg('defaultValue', 'default')} error={err('defaultValue', 'default')} />
        ) : (
          <TextInput label="Default value" description={type === 'boolean' ? 'true or false' : type === 'date' ? 'e.g. 2026-11-24' : undefined}
            {...reg('defaultValue', 'default')} error={err('defaultValue', 'default')} />
        )}
        <Controller control={form.control} name="indexed" render={({ field: f }) => (
          <Stack gap={4}>
            <Text size="sm" fw={500} id="indexed-label">Index</Text>
            <SegmentedControl aria-labelledby="indexed-label" value={f.value} size="xs"
              data={[{ value: 'default', label: 'Default for the type' }, { value: 'yes', label: 'Indexed' }, { value: 'no', label: 'Not indexed' }]}
              onChange={(v) => { f.onChange(v); apply('index'); }} />
          </Stack>
        )} />
      </Stack>
    </form>
  );
}

/**
 * useFollow brings into the form the members of the field that changed in
 * the document (another builder, undo, a conflict resolved), leaving alone
 * the inputs whose text already says the same ("Due " for "Due") and those
 * the document did not change (where an invalid entry may be in progress).
 */
function useFollow(form: UseFormReturn<FieldFormValues>, values: FieldFormValues) {
  const prev = useRef(values);
  useEffect(() => {
    const before = prev.current;
    prev.current = values;
    for (const k of Object.keys(values) as (keyof FieldFormValues)[]) {
      if (equal(values[k], before[k]) || sameText(form.getValues(k), values[k])) continue;
      form.setValue(k, values[k], { shouldValidate: true });
    }
  }, [form, values]);
}

function sameText(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') {
    return a.trim() === b.trim() || (a.trim() !== '' && b.trim() !== '' && Number(a) === Number(b));
  }
  return equal(a, b);
}
