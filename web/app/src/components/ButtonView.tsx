import { Button } from '@mantine/core';
import { openedFormEntity, stringProp } from '../layout/grid';
import { may } from '../layout/rights';
import type { ViewProps } from './Renderer';
import { usePage } from './PageContext';

/**
 * ButtonView runs its onClick action. A button opening a form (with no
 * entity: a new one) shows only to those who may create what it makes.
 */
export function ButtonView({ component }: ViewProps) {
  const { page, rights, run } = usePage();
  const onClick = component.actions?.onClick;
  const creates = openedFormEntity(page.components, onClick);
  if (creates && !may(rights, creates, 'create')) return null;
  return <Button onClick={() => run(onClick)}>{stringProp(component.props.label)}</Button>;
}
