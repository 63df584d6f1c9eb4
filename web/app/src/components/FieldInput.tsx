import { Checkbox, NumberInput, Select, Textarea, TextInput } from '@mantine/core';
import { emptyValue, type FieldValue } from '../layout/form';
import type { FormField } from '../layout/types';
import { RelationSelect } from './RelationSelect';

interface Props {
  field: FormField;
  value: FieldValue | undefined;
  error: string | undefined;
  onChange: (v: FieldValue) => void;
}

/** FieldInput is the input of one form field, chosen by its widget. */
export function FieldInput({ field: f, value, error, onChange }: Props) {
  const v = value ?? emptyValue(f);
  const common = { label: f.label, required: f.required && !f.readOnly, error, readOnly: f.readOnly };
  const text = (e: { currentTarget: { value: string } }) => onChange(e.currentTarget.value);
  switch (f.widget) {
    case 'textarea':
      return <Textarea {...common} autosize minRows={3} maxRows={10} value={String(v)} onChange={text} />;
    case 'json':
      return <Textarea {...common} autosize minRows={3} ff="monospace" value={String(v)} onChange={text} />;
    case 'integer':
    case 'number':
      return (
        <NumberInput {...common} value={typeof v === 'number' ? v : String(v)} allowDecimal={f.widget === 'number'}
          onChange={(n) => onChange(n === '' ? '' : typeof n === 'number' ? n : Number(n))} />
      );
    case 'checkbox':
      return <Checkbox label={f.label} checked={v === true} disabled={f.readOnly} error={error}
        onChange={(e) => onChange(e.currentTarget.checked)} />;
    case 'select':
      return (
        <Select {...common} data={f.options ?? []} value={v === '' ? null : String(v)} clearable={!f.required}
          allowDeselect={!f.required} onChange={(s) => onChange(s ?? '')} />
      );
    case 'date':
      return <TextInput {...common} type="date" value={String(v)} onChange={text} />;
    case 'datetime':
      return <TextInput {...common} type="datetime-local" value={String(v)} onChange={text} />;
    case 'email':
      return <TextInput {...common} type="email" value={String(v)} onChange={text} />;
    case 'url':
      return <TextInput {...common} type="url" value={String(v)} onChange={text} />;
    case 'relation':
      if (f.relation) {
        return <RelationSelect field={{ ...f, relation: f.relation }} value={String(v)} error={error} onChange={onChange} />;
      }
      return <TextInput {...common} value={String(v)} onChange={text} />;
    default:
      return <TextInput {...common} value={String(v)} onChange={text} />;
  }
}
