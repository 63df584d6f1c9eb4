// The inputs of a relationship, shared by the "New relationship" dialog and
// the editor of one: what happens when a value changes is theirs to say.

import { Checkbox, Radio, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import type { KeyboardEvent } from 'react';
import { Controller, useWatch, type UseFormReturn } from 'react-hook-form';
import { onDeleteRules, relationshipKinds, type OnDelete, type RelationshipKind } from '../../model/types';
import { canBeRequired, kindSigil, kindText, missingEntity, onDeleteText, type RelationshipFormValues } from './relationshipForm';

export type Pickable = 'kind' | 'from' | 'to' | 'onDelete' | 'required';
export type Typeable = 'name' | 'fromField' | 'toField';

interface Props {
  form: UseFormReturn<RelationshipFormValues>;
  /** The model's entity types: the only choices for either end. */
  entities: string[];
  /** The server's problems with the relationship, by member. */
  problems: Record<string, string>;
  /** pick is called when a member is chosen from a list or a box is ticked. */
  pick: <K extends Pickable>(key: K, value: RelationshipFormValues[K]) => void;
  /** typed is called as a name is typed. */
  typed: (key: Typeable) => void;
  /** For the editor: the name is applied when its input is left or on Enter. */
  onNameDone?: () => void;
  onNameKey?: (e: KeyboardEvent<HTMLInputElement>) => void;
  autoFocus?: boolean;
}

const kindOptions = relationshipKinds.map((k) => ({ value: k, label: `${k}  (${kindSigil(k)})` }));

export function RelationshipFields({ form, entities, problems, pick, typed, onNameDone, onNameKey, autoFocus }: Props) {
  const { errors } = form.formState;
  const v = useWatch({ control: form.control }) as RelationshipFormValues;
  const err = (k: keyof RelationshipFormValues) => errors[k]?.message ?? problems[k];
  // An end made elsewhere may name an entity type the model lacks: say so before any change.
  const endErr = (k: 'from' | 'to') => err(k) ?? (v[k] && !entities.includes(v[k]) ? missingEntity(v[k]) : undefined);
  const options = (current: string) =>
    current && !entities.includes(current)
      ? [...entities.map((e) => ({ value: e, label: e })), { value: current, label: `${current} (missing)`, disabled: true }]
      : entities.map((e) => ({ value: e, label: e }));
  const text = (k: Typeable) => form.register(k, { onChange: () => typed(k) });

  return (
    <Stack gap="sm">
      <TextInput label="Name" {...text('name')} error={err('name')} autoComplete="off" data-autofocus={autoFocus || undefined}
        description="Unique in the model; it names the relationship in the API"
        onBlur={onNameDone} onKeyDown={onNameKey} />
      <Controller control={form.control} name="kind" render={({ field: f }) => (
        <Select label="Kind" data={kindOptions} value={f.value} allowDeselect={false} error={err('kind')}
          description={kindText(v.kind, v.from, v.to)}
          onChange={(k) => k && pick('kind', k as RelationshipKind)} />
      )} />
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <Controller control={form.control} name="from" render={({ field: f }) => (
          <Select label="From entity" data={options(f.value)} value={f.value || null} allowDeselect={false} error={endErr('from')}
            placeholder="Choose an entity type" searchable={entities.length > 8} nothingFoundMessage="No such entity type"
            onChange={(e) => e && pick('from', e)} />
        )} />
        <Controller control={form.control} name="to" render={({ field: f }) => (
          <Select label="To entity" data={options(f.value)} value={f.value || null} allowDeselect={false} error={endErr('to')}
            placeholder="Choose an entity type" searchable={entities.length > 8} nothingFoundMessage="No such entity type"
            onChange={(e) => e && pick('to', e)} />
        )} />
        <TextInput label="From field" {...text('fromField')} error={err('fromField')} autoComplete="off"
          description={v.from && v.to ? `On ${v.from}: leads to its ${v.kind === 'one-to-one' ? v.to : `${v.to} records`}` : undefined} />
        <TextInput label="To field" {...text('toField')} error={err('toField')} autoComplete="off"
          description={v.from && v.to ? `On ${v.to}: leads back to its ${v.kind === 'many-to-many' ? `${v.from} records` : v.from}` : undefined} />
      </SimpleGrid>
      <Controller control={form.control} name="onDelete" render={({ field: f }) => (
        <Radio.Group label="On delete" description={`When a ${v.from || '“from”'} entity is deleted`} value={f.value} error={err('onDelete')}
          onChange={(r) => pick('onDelete', r as OnDelete)}>
          <Stack gap={8} mt={6}>
            {onDeleteRules.map((rule) => (
              <Radio key={rule} value={rule} label={rule} description={onDeleteText(rule, v)} />
            ))}
          </Stack>
        </Radio.Group>
      )} />
      {canBeRequired(v.kind) ? (
        <Controller control={form.control} name="required" render={({ field: f }) => (
          <Checkbox label="Required" checked={f.value} error={problems.required}
            description={`Every ${v.to || '“to”'} entity must reference a ${v.from || '“from”'} entity`}
            onChange={(e) => pick('required', e.currentTarget.checked)} />
        )} />
      ) : (
        <Text size="xs" c="dimmed">A many-to-many relationship cannot be required: its links are kept apart from the records.</Text>
      )}
    </Stack>
  );
}
