// A small model the tests edit.

import type { ModelDoc } from './types';

export function todo(): ModelDoc {
  return {
    name: 'TODO',
    description: 'Tasks',
    entities: [
      {
        name: 'Task',
        displayName: 'Task',
        fields: [
          { name: 'title', type: 'string', required: true, maxLength: 200 },
          { name: 'status', type: 'enum', values: ['todo', 'done'] },
          { name: 'due', type: 'date' },
        ],
      },
      { name: 'Project', fields: [{ name: 'name', type: 'string' }] },
    ],
    relationships: [
      { name: 'projectTasks', kind: 'one-to-many', from: 'Project', to: 'Task', fromField: 'tasks', toField: 'project' },
    ],
    pages: [
      {
        name: 'Tasks',
        route: '/tasks',
        components: [
          { id: 'new', type: 'Button', position: { row: 0, col: 0, span: 2 }, props: { label: 'New Task' } },
          { id: 'modal', type: 'Modal', props: { title: 'New' }, children: [{ id: 'form', type: 'Form', props: { entity: 'Task' } }] },
        ],
      },
    ],
    xflows: [],
  };
}
