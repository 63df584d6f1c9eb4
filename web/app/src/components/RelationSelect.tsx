import { Loader, Select } from '@mantine/core';
import { useState } from 'react';
import type { FormField } from '../layout/types';
import { usePage } from './PageContext';
import { useRelationOptions } from './useRelationOptions';

interface Props {
  field: FormField & { relation: NonNullable<FormField['relation']> };
  value: string;
  error: string | undefined;
  onChange: (id: string) => void;
}

/**
 * RelationSelect picks the entity a reference field refers to, searching
 * the server as the user types; its value is the entity's id.
 */
export function RelationSelect({ field: f, value, error, onChange }: Props) {
  const { app } = usePage();
  const [typed, setTyped] = useState('');
  const { entity, displayField } = f.relation;
  const list = useRelationOptions(app, entity, displayField, value, typed);
  const loadError = list.error ? `Could not load the choices: ${list.error}` : undefined;
  return (
    <Select
      label={f.label}
      required={f.required}
      placeholder={`Pick a ${entity}`}
      searchable
      clearable={!f.required}
      allowDeselect={!f.required}
      data={list.options}
      value={value === '' ? null : value}
      onChange={(id) => onChange(id ?? '')}
      searchValue={typed}
      onSearchChange={setTyped}
      // The server searched already: show its results as they are.
      filter={({ options }) => options}
      nothingFoundMessage={list.loading ? 'Loading…' : `No ${entity} found`}
      rightSection={list.loading ? <Loader size="xs" aria-label={`Loading ${entity} choices`} /> : undefined}
      error={error ?? loadError}
    />
  );
}
