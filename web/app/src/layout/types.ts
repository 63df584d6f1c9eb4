// The shapes of internal/layout and internal/rpc, as the server sends them.

export interface Position {
  row: number;
  col: number;
  span: number;
}

/** The action types of internal/layout: the server sends no others. */
export type ActionType = 'openModal' | 'closeModal' | 'navigateTo' | 'refresh' | 'submitForm' | 'deleteEntity';

export interface Action {
  type: ActionType;
  modal?: string;
  page?: string;
  target?: string;
  confirm?: string;
}

export interface Component {
  id: string;
  type: string;
  position?: Position;
  props: Record<string, unknown>;
  actions?: Record<string, Action>;
  children?: Component[];
}

export interface Page {
  name: string;
  route: string;
  title: string;
  entity?: string;
  generated: boolean;
  components: Component[];
}

export interface PageLink {
  name: string;
  /** "/tasks", or "/tasks/{id}" for the page of one entity. */
  route: string;
  title: string;
  /** The entity type a generated page lists or shows. */
  entity?: string;
}

export interface PageResult {
  app: string;
  model: string;
  version: number;
  page: Page | null;
  /** What the caller may do, per entity type (true, false or "own"). */
  rights?: Record<string, Rights>;
  /** The route parameters of the path asked for ({id: "…"}). */
  params?: Record<string, string>;
  pages: PageLink[];
}

export type Grant = boolean | 'own';

/** An absent right is false (the server leaves false out). */
export interface Rights {
  read?: Grant;
  create?: Grant;
  update?: Grant;
  delete?: Grant;
}

export interface Subscribed extends PageResult {
  subscription: string;
}

export interface DataChanged {
  subscription: string;
  app: string;
  type: string;
  id: string;
  version: number;
  kind: string;
  seq: number;
}

export interface Ended {
  subscription: string;
  reason: string;
  message: string;
}

export interface Option {
  value: string;
  label: string;
}

export interface FormField {
  name: string;
  label: string;
  type: string;
  widget: string;
  required: boolean;
  default?: unknown;
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  options?: Option[];
  relation?: { entity: string; relationship: string; displayField: string; multiple: boolean };
  readOnly?: boolean;
}

export interface FormDef {
  entity: string;
  title: string;
  fields: FormField[];
}

export interface Entity {
  id: string;
  type: string;
  data: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}

export interface FormResult {
  form: FormDef;
  entity?: Entity;
}

export interface EntityPage {
  items: Entity[];
  nextCursor: string | null;
  total?: number;
}
