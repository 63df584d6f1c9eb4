import { Alert, Skeleton, Table } from '@mantine/core';
import { display, humanize } from '../layout/form';
import { stringList } from '../layout/grid';
import { ModalScope, usePage } from './PageContext';
import type { ViewProps } from './Renderer';
import { useFormDefinition } from './useFormDefinition';
import { useContext } from 'react';

/** DetailView shows the fields of the entity its modal was opened for. */
export function DetailView({ component }: ViewProps) {
  const { app } = usePage();
  const scope = useContext(ModalScope);
  const entity = String(component.props.entity ?? '');
  const fields = stringList(component.props.fields);
  const def = useFormDefinition(app, entity, scope?.entityId, fields);
  if (!scope?.entityId) return null;
  if (def.status === 'loading') return <Skeleton height={120} />;
  if (def.status === 'error') return <Alert color="red">{def.error}</Alert>;
  const data = def.data.entity?.data ?? {};
  return (
    <Table>
      <Table.Tbody>
        {def.data.form.fields.map((f) => (
          <Table.Tr key={f.name}>
            <Table.Th scope="row">{f.label || humanize(f.name)}</Table.Th>
            <Table.Td>{display(f, data[f.name])}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
