import { describe, expect, it } from 'vitest';
import { todo } from './fixtures';
import { namedProblems, problemsAt } from './problems';

describe('namedProblems', () => {
  it('places model paths and edit paths by name', () => {
    const p = namedProblems(todo(), [{ op: 'addField', entity: 'Task', value: { name: 'x', type: 'string' } }], {
      'entities[0].fields[2].type': 'unknown type',
      'entities[1].name': 'bad name',
      'relationships[0].to': 'no entity "Nope"',
      'pages[0].components[1].props.entity': 'unknown entity',
      'edits[0].value.maxLength': 'must be a number',
      'somewhere.else': 'odd',
    });
    expect(p).toEqual({
      'entities/Task/fields/due#type': 'unknown type',
      'entities/Project#name': 'bad name',
      'relationships/projectTasks#to': 'no entity "Nope"',
      'pages/Tasks#components[1].props.entity': 'unknown entity',
      'entities/Task/fields/x#maxLength': 'must be a number',
      '#somewhere.else': 'odd',
    });
    expect(problemsAt(p, 'entities/Task/fields/due')).toEqual({ type: 'unknown type' });
  });
});
