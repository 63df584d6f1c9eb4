import { Modal } from '@mantine/core';
import { formEntityOf, stringProp } from '../layout/grid';
import { ModalScope, usePage } from './PageContext';
import { ComponentGrid, type ViewProps } from './Renderer';

/** ModalView opens over the page when an openModal action names it. */
export function ModalView({ component }: ViewProps) {
  const { modal, run } = usePage();
  const open = modal?.id === component.id ? modal : null;
  const entity = formEntityOf(component);
  const title = open?.entityId && entity ? `Edit ${entity}` : stringProp(component.props.title);
  return (
    <Modal opened={open !== null} onClose={() => run({ type: 'closeModal', modal: component.id })} title={title} size="lg">
      {open && (
        <ModalScope.Provider value={open}>
          <ComponentGrid components={component.children ?? []} />
        </ModalScope.Provider>
      )}
    </Modal>
  );
}
