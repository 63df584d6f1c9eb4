// The model document as the editor holds it: the JSON of exportModel, with
// its parts addressed by name (docs/model.md).

export type JSONValue = null | boolean | number | string | JSONValue[] | { [key: string]: JSONValue };
export type JSONObject = { [key: string]: JSONValue };

export const fieldTypes = [
  'string', 'text', 'integer', 'number', 'boolean', 'date', 'datetime', 'enum', 'email', 'url', 'json',
] as const;
export type FieldType = (typeof fieldTypes)[number];

export interface Field {
  name: string;
  displayName?: string;
  type: FieldType;
  required?: boolean;
  unique?: boolean;
  default?: JSONValue;
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  values?: string[];
  indexed?: boolean;
}

export interface Entity {
  name: string;
  displayName?: string;
  fields: Field[];
  permissions?: JSONObject;
}

export const relationshipKinds = ['one-to-one', 'one-to-many', 'many-to-many'] as const;
export type RelationshipKind = (typeof relationshipKinds)[number];
export const onDeleteRules = ['restrict', 'cascade', 'set-null'] as const;
export type OnDelete = (typeof onDeleteRules)[number];

export interface Relationship {
  name: string;
  kind: RelationshipKind;
  from: string;
  to: string;
  fromField: string;
  toField: string;
  onDelete?: OnDelete;
  required?: boolean;
}

/** A component of a page: a node of the layout tree on the 12-column grid. */
export interface PageComponent {
  id: string;
  type: string;
  position?: { row: number; col: number; span: number };
  props?: JSONObject;
  actions?: JSONObject;
  children?: PageComponent[];
}

export interface Page {
  name: string;
  route?: string;
  title?: string;
  components?: PageComponent[];
  [key: string]: unknown;
}

export interface Flow {
  name: string;
  [key: string]: unknown;
}

export interface ModelDoc {
  name: string;
  description?: string;
  version?: number;
  entities: Entity[];
  relationships: Relationship[];
  pages: Page[];
  xflows: Flow[];
}

/** The operations of editModel (ModelEditInput.op). */
export type EditOp =
  | 'setDescription'
  | 'addEntity' | 'updateEntity' | 'removeEntity' | 'reorderEntities'
  | 'addField' | 'updateField' | 'removeField' | 'reorderFields'
  | 'addRelationship' | 'updateRelationship' | 'removeRelationship'
  | 'addPage' | 'updatePage' | 'removePage' | 'reorderPages'
  | 'addComponent' | 'updateComponent' | 'removeComponent' | 'reorderComponents'
  | 'addFlow' | 'updateFlow' | 'removeFlow';

/** One fine-grained edit, exactly as editModel takes it (ModelEditInput). */
export interface Edit {
  op: EditOp;
  entity?: string;
  field?: string;
  relationship?: string;
  page?: string;
  component?: string;
  parent?: string;
  flow?: string;
  index?: number;
  order?: string[];
  value?: JSONValue;
}

/** One difference between two versions, as the server reports it (Change). */
export interface Change {
  op: 'add' | 'remove' | 'update' | 'reorder';
  path: string;
  before?: JSONValue;
  after?: JSONValue;
}
