// What the Model Editor's browser scenarios share, on top of harness.mjs:
// the save status, going to a section, adding entity types, fields and page
// components through the UI as a builder does, reading the model back from
// the server, and screenshots for the docs. Each helper takes the page it
// acts on, first-builder page by default.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { base, check, labelled, page } from './harness.mjs';

const shots = process.env.TORQUE_SCREENSHOTS || '';

// shot writes a screenshot named name into TORQUE_SCREENSHOTS, if set.
export async function shot(name, p = page, opts = {}) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await p.screenshot({ path: join(shots, name), ...opts });
}

// gql runs a GraphQL operation with p's session; errors fail the step.
export async function gql(query, variables = {}, p = page) {
  const res = await p.request.post(`${base}/graphql`, { headers: { Origin: base }, data: { query, variables } });
  const body = await res.json();
  check(res.status() === 200 && !body.errors, `GraphQL answered ${res.status()}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

// serverModel is the model named name as the server holds it: version and document.
export async function serverModel(name, p = page) {
  return (await gql('query($n: String!) { model(name: $n) { version document } }', { n: name }, p)).model;
}

// saved waits until the editor says every change is saved.
export const saved = (p = page) => p.getByRole('status', { name: 'Save status: Saved' }).waitFor();

// section opens a section of the model's workspace from its navigation.
export async function section(label, p = page) {
  await p.getByRole('navigation', { name: 'Model sections' }).getByRole('link', { name: label, exact: true }).click();
}

// createModel makes a blank model through the "New model" dialog and waits for its workspace.
export async function createModel(name, p = page) {
  await p.getByRole('button', { name: 'New model' }).click();
  const dialog = p.getByRole('dialog', { name: 'New model' });
  await dialog.getByLabel(labelled('Name')).fill(name);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await p.waitForURL(`${base}/editor/models/${name}/entities`);
}

// addEntity adds an entity type by typing its name and Enter.
export async function addEntity(name, p = page) {
  await p.getByRole('button', { name: 'Add entity' }).click();
  await p.getByLabel(labelled('New entity name')).fill(name);
  await p.getByLabel(labelled('New entity name')).press('Enter');
  await p.getByRole('heading', { name, level: 2 }).waitFor();
}

// fieldLink is the link of a field in the fields table.
export const fieldLink = (name, p = page) => p.getByRole('table', { name: /Fields of/ }).getByRole('link', { name, exact: true });

// addField adds a field of the open entity type (an enum with its values).
export async function addField(name, type, values = [], p = page) {
  const form = p.getByRole('form', { name: /Add a field/ });
  await form.getByLabel(labelled('Field name')).fill(name);
  await form.getByRole('textbox', { name: labelled('Field type') }).click();
  await p.getByRole('option', { name: type, exact: true }).click();
  for (const v of values) {
    await form.getByLabel(labelled('Values')).fill(v);
    await form.getByLabel(labelled('Values')).press('Enter');
  }
  await form.getByRole('button', { name: 'Add field' }).click();
  await fieldLink(name, p).waitFor();
}

// openField opens the panel of a field and returns it.
export async function openField(entity, name, p = page) {
  await fieldLink(name, p).click();
  const panel = p.getByRole('dialog', { name: `Field ${entity}.${name}` });
  await panel.waitFor();
  return panel;
}

// The page designer's parts.
export const inspector = (p = page) => p.getByRole('region', { name: /^Inspector of / });
export const preview = (p = page) => p.getByRole('region', { name: 'Preview' });

// addComponent adds a component of the type labelled label from the "Add component" menu.
export async function addComponent(label, p = page) {
  await p.getByRole('button', { name: 'Add component' }).click();
  await p.getByRole('menuitem', { name: new RegExp(`^${label}`) }).click();
}
