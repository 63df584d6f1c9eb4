// The page designer of the Model Editor in a real browser, against a
// running Torque (see internal/webapp/editor_pages_e2e_test.go, which
// starts one): a builder makes a blank model "Shop" with an entity type
// Item, adds a page "Items" with a grid of items and a "New Item" button
// that opens a form modal, all through the UI; the live preview shows
// them; the server holds the page; and an app made from the model shows
// the page, whose button creates an item that the grid lists. Elements
// are found by role and label. Any console error fails the run.
//
// env: see harness.mjs; TORQUE_SCREENSHOTS (a directory: write
// editor-page-designer.png there).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { base, check, eventually, labelled, page, scenario, signIn, step } from './harness.mjs';

const shots = process.env.TORQUE_SCREENSHOTS || '';

// gql runs a GraphQL operation with the page's session.
async function gql(query, variables = {}) {
  const res = await page.request.post(`${base}/graphql`, { headers: { Origin: base }, data: { query, variables } });
  const body = await res.json();
  check(res.status() === 200 && !body.errors, `GraphQL answered ${res.status()}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

const saved = () => page.getByRole('status', { name: 'Save status: Saved' }).waitFor();

async function addField(name, type) {
  const form = page.getByRole('form', { name: /Add a field/ });
  await form.getByLabel(labelled('Field name')).fill(name);
  await form.getByRole('textbox', { name: labelled('Field type') }).click();
  await page.getByRole('option', { name: type, exact: true }).click();
  await form.getByRole('button', { name: 'Add field' }).click();
  await page.getByRole('table', { name: /Fields of/ }).getByRole('link', { name, exact: true }).waitFor();
}

async function addComponent(label) {
  await page.getByRole('button', { name: 'Add component' }).click();
  await page.getByRole('menuitem', { name: new RegExp(`^${label}`) }).click();
}

const inspector = () => page.getByRole('region', { name: /^Inspector of / });
const preview = () => page.getByRole('region', { name: 'Preview' });

await scenario('page designer scenario', 'torque-editor-pages-failure.png', async () => {
  await step('sign in to the editor', async () => {
    await signIn(`${base}/editor/`, 'Models');
  });

  await step('a blank model Shop is created through the New model dialog', async () => {
    await page.getByRole('button', { name: 'New model' }).click();
    const dialog = page.getByRole('dialog', { name: 'New model' });
    await dialog.getByLabel(labelled('Name')).fill('Shop');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(`${base}/editor/models/Shop/entities`);
  });

  await step('an entity type Item with two fields is added', async () => {
    await page.getByRole('button', { name: 'Add entity' }).click();
    await page.getByLabel(labelled('New entity name')).fill('Item');
    await page.getByLabel(labelled('New entity name')).press('Enter');
    await page.getByRole('heading', { name: 'Item', level: 2 }).waitFor();
    await addField('name', 'string');
    await addField('quantity', 'integer');
    await saved();
  });

  await step('a page Items is added, its route made from its name', async () => {
    await page.getByRole('navigation', { name: 'Model sections' }).getByRole('link', { name: 'Pages' }).click();
    await page.getByText('No pages yet').first().waitFor();
    await page.getByRole('button', { name: 'Add page' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add page' });
    await dialog.getByLabel(labelled('Name')).fill('Items');
    check((await dialog.getByLabel(labelled('Route')).inputValue()) === '/items', 'the route is made from the name');
    await dialog.getByRole('button', { name: 'Add page' }).click();
    await page.waitForURL(`${base}/editor/models/Shop/pages/Items`);
    await page.getByRole('heading', { name: 'Items', level: 2 }).waitFor();
    await page.getByText('This page is empty').waitFor();
  });

  await step('a data grid bound to Item shows all its fields as columns', async () => {
    await addComponent('Data grid');
    await inspector().getByRole('heading', { name: 'Data grid' }).waitFor();
    check((await inspector().getByRole('textbox', { name: labelled('Entity type') }).inputValue()) === 'Item', 'the grid is bound to Item');
    await preview().getByRole('columnheader', { name: 'Name' }).waitFor();
    await preview().getByRole('columnheader', { name: 'Quantity' }).waitFor();
  });

  await step('a button "New Item" opens a new form modal for Item', async () => {
    await addComponent('Button');
    await inspector().getByRole('heading', { name: 'Button' }).waitFor();
    await inspector().getByLabel(labelled('Label')).fill('New Item');
    await inspector().getByRole('button', { name: 'Open a new form modal for Item' }).click();
    await eventually(async () => (await inspector().getByRole('textbox', { name: labelled('When clicked') }).inputValue()) === 'Open a modal', 'onClick opens a modal');
    check((await inspector().getByRole('textbox', { name: labelled('Modal') }).inputValue()) === 'item-modal', 'the modal is item-modal');
    // The button goes above the grid, from the keyboard-friendly menu.
    await page.getByRole('button', { name: 'Actions for button' }).click();
    await page.getByRole('menuitem', { name: 'Move up' }).click();
    await page.getByRole('button', { name: /^Modal item-modal/ }).waitFor();
    await inspector().getByLabel(labelled('Width')).fill('3');
    await page.getByRole('button', { name: 'Resize button: 3 of 12 columns' }).waitFor();
    await preview().getByRole('button', { name: 'New Item' }).waitFor();
    await saved();
  });

  await step('the form in the modal has the fields, "Save" and submitForm', async () => {
    await page.getByRole('button', { name: 'Form item-form in item-modal' }).click();
    await inspector().getByRole('heading', { name: 'Form' }).waitFor();
    check((await inspector().getByLabel(labelled('Submit label')).inputValue()) === 'Save', 'the submit label is Save');
    check((await inspector().getByRole('textbox', { name: labelled('When submitted') }).inputValue()) === 'Submit the form', 'onSubmit submits');
  });

  await step('the server holds the page with those components', async () => {
    const { model } = await gql('query { model(name: "Shop") { document } }');
    const items = model.document.pages.find((p) => p.name === 'Items');
    check(items?.route === '/items', `page ${JSON.stringify(items)}`);
    const byType = (t) => items.components.find((c) => c.type === t);
    const grid = byType('DataGrid');
    check(grid?.props.entity === 'Item' && grid.props.columns.join(',') === 'name,quantity', `grid ${JSON.stringify(grid)}`);
    const button = byType('Button');
    check(button?.props.label === 'New Item' && button.actions.onClick.type === 'openModal' && button.actions.onClick.modal === 'item-modal',
      `button ${JSON.stringify(button)}`);
    check(button.position.row < grid.position.row && button.position.span === 3, `the button is above the grid, 3 wide: ${JSON.stringify([button.position, grid.position])}`);
    const modal = byType('Modal');
    const form = modal?.children?.[0];
    check(modal?.id === 'item-modal' && form?.type === 'Form' && form.props.entity === 'Item' && form.props.submitLabel === 'Save' &&
      form.props.fields.join(',') === 'name,quantity' && form.actions.onSubmit.type === 'submitForm', `modal ${JSON.stringify(modal)}`);
  });

  await step('an app made from the model shows the page; its button creates an item the grid lists', async () => {
    await gql('mutation { createApp(name: "shop", model: "Shop") { name } }');
    await page.goto(`${base}/app/shop/items`);
    await page.getByRole('heading', { name: 'Items', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New Item' }).click();
    const dialog = page.getByRole('dialog', { name: 'New Item' });
    await dialog.getByLabel(labelled('Name')).fill('Widget');
    await dialog.getByLabel(labelled('Quantity')).fill('7');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: 'Widget', exact: true }).waitFor();
    await page.getByRole('cell', { name: '7', exact: true }).waitFor();
  });

  await step('the preview shows the app\'s data', async () => {
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.goto(`${base}/editor/models/Shop/pages/Items?component=item-grid`);
    await inspector().getByRole('heading', { name: 'Data grid' }).waitFor();
    await eventually(async () => (await preview().getByRole('textbox', { name: 'Data from' }).inputValue()) === 'App shop', 'the preview reads the app shop');
    await preview().getByRole('cell', { name: 'Widget', exact: true }).waitFor();
    if (shots) {
      mkdirSync(shots, { recursive: true });
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(shots, 'editor-page-designer.png'), fullPage: true });
    }
  });
});
