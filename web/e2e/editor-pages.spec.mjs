// The TODO app built from nothing in the Model Editor, in a real browser,
// against a running Torque (see internal/webapp/editor_pages_e2e_test.go,
// which starts one): a builder makes a blank model "Tasks", adds the entity
// type Task with five validated fields, a page Tasks with a grid of tasks
// and a "New Task" button that opens a form modal, all through the UI; the
// live preview shows them; the server holds them; and an app made from the
// model refuses a title that is too long under the field and lists a valid
// task. Elements are found by role and label. Any console error fails the
// run.
//
// env: see harness.mjs; TORQUE_SCREENSHOTS (a directory: write
// editor-page-designer.png there).
import { base, check, eventually, labelled, page, scenario, signIn, step } from './harness.mjs';
import {
  addComponent, addEntity, addField, createModel, gql, inspector, openField, preview, saved, section, serverModel, shot,
} from './editor-steps.mjs';

await scenario('the TODO app built from nothing in the editor', 'torque-editor-pages-failure.png', async () => {
  await step('sign in to the editor and create a blank model', async () => {
    await signIn(`${base}/editor/`, 'Models');
    await createModel('Tasks');
  });

  await step('the entity type Task gets five fields with their validation', async () => {
    await addEntity('Task');
    await addField('title', 'string');
    await addField('description', 'text');
    await addField('status', 'enum', ['todo', 'doing', 'done']);
    await addField('due', 'date');
    await addField('priority', 'integer');
    let panel = await openField('Task', 'title');
    await panel.getByLabel(labelled('Display name')).fill('Title');
    await panel.getByRole('checkbox', { name: 'Required' }).check();
    await panel.getByLabel(labelled('Maximum length')).fill('200');
    await page.keyboard.press('Escape');
    panel = await openField('Task', 'status');
    await panel.getByLabel(labelled('Default value')).fill('todo');
    await page.keyboard.press('Escape');
    panel = await openField('Task', 'priority');
    await panel.getByLabel(labelled('Minimum')).fill('1');
    await panel.getByLabel(labelled('Maximum')).fill('5');
    await page.keyboard.press('Escape');
    await saved();
    const fields = (await serverModel('Tasks')).document.entities[0].fields;
    check(fields.map((f) => f.name).join(',') === 'title,description,status,due,priority', `fields ${fields.map((f) => f.name)}`);
    check(fields[0].required && fields[0].maxLength === 200 && fields[2].default === 'todo' && fields[4].max === 5, `rules ${JSON.stringify(fields)}`);
  });

  await step('a page Tasks is added, its route made from its name', async () => {
    await section('Pages');
    await page.getByText('No pages yet').first().waitFor();
    await page.getByRole('button', { name: 'Add page' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add page' });
    await dialog.getByLabel(labelled('Name')).fill('Tasks');
    check((await dialog.getByLabel(labelled('Route')).inputValue()) === '/tasks', 'the route is made from the name');
    await dialog.getByRole('button', { name: 'Add page' }).click();
    await page.waitForURL(`${base}/editor/models/Tasks/pages/Tasks`);
    await page.getByText('This page is empty').waitFor();
  });

  await step('a data grid bound to Task shows its fields as columns in the preview', async () => {
    await addComponent('Data grid');
    await inspector().getByRole('heading', { name: 'Data grid' }).waitFor();
    check((await inspector().getByRole('textbox', { name: labelled('Entity type') }).inputValue()) === 'Task', 'the grid is bound to Task');
    for (const h of ['Title', 'Description', 'Status', 'Due', 'Priority']) await preview().getByRole('columnheader', { name: h }).waitFor();
  });

  await step('a button "New Task" opens a new form modal for Task, above the grid', async () => {
    await addComponent('Button');
    await inspector().getByRole('heading', { name: 'Button' }).waitFor();
    await inspector().getByLabel(labelled('Label')).fill('New Task');
    await inspector().getByRole('button', { name: 'Open a new form modal for Task' }).click();
    await eventually(async () => (await inspector().getByRole('textbox', { name: labelled('When clicked') }).inputValue()) === 'Open a modal', 'onClick opens a modal');
    await page.getByRole('button', { name: 'Actions for button' }).click();
    await page.getByRole('menuitem', { name: 'Move up' }).click();
    await inspector().getByLabel(labelled('Width')).fill('3');
    await page.getByRole('button', { name: 'Resize button: 3 of 12 columns' }).waitFor();
    await preview().getByRole('button', { name: 'New Task' }).waitFor();
    await page.getByRole('button', { name: 'Form task-form in task-modal' }).click();
    check((await inspector().getByLabel(labelled('Submit label')).inputValue()) === 'Save', 'the submit label is Save');
    check((await inspector().getByRole('textbox', { name: labelled('When submitted') }).inputValue()) === 'Submit the form', 'onSubmit submits');
    await saved();
  });

  await step('the server holds the page with those components', async () => {
    const items = (await serverModel('Tasks')).document.pages.find((p) => p.name === 'Tasks');
    check(items?.route === '/tasks', `page ${JSON.stringify(items)}`);
    const byType = (t) => items.components.find((c) => c.type === t);
    const grid = byType('DataGrid');
    check(grid?.props.entity === 'Task' && grid.props.columns.join(',') === 'title,description,status,due,priority', `grid ${JSON.stringify(grid)}`);
    const button = byType('Button');
    check(button?.props.label === 'New Task' && button.actions.onClick.type === 'openModal' && button.actions.onClick.modal === 'task-modal',
      `button ${JSON.stringify(button)}`);
    check(button.position.row < grid.position.row && button.position.span === 3, `the button is above the grid, 3 wide: ${JSON.stringify([button.position, grid.position])}`);
    const modal = byType('Modal');
    const form = modal?.children?.[0];
    check(modal?.id === 'task-modal' && form?.type === 'Form' && form.props.entity === 'Task' && form.props.submitLabel === 'Save' &&
      form.actions.onSubmit.type === 'submitForm', `modal ${JSON.stringify(modal)}`);
  });

  await step('an app made from the model refuses a title of 300 characters under the field and lists a valid task', async () => {
    await gql('mutation { createApp(name: "tasks", model: "Tasks") { name } }');
    await page.goto(`${base}/app/tasks/tasks`);
    await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New Task' }).click();
    const dialog = page.getByRole('dialog', { name: 'New Task' });
    await dialog.getByLabel(labelled('Title')).fill('x'.repeat(300));
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('must be at most 200 characters').waitFor();
    await dialog.getByLabel(labelled('Title')).fill('Write the launch note');
    await dialog.getByLabel(labelled('Due')).fill('2026-12-01');
    await dialog.getByLabel(labelled('Priority')).fill('2');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: 'Write the launch note', exact: true }).waitFor();
  });

  await step('the preview shows the app\'s data', async () => {
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.goto(`${base}/editor/models/Tasks/pages/Tasks?component=task-grid`);
    await inspector().getByRole('heading', { name: 'Data grid' }).waitFor();
    await eventually(async () => (await preview().getByRole('textbox', { name: 'Data from' }).inputValue()) === 'App tasks', 'the preview reads the app tasks');
    await preview().getByRole('cell', { name: 'Write the launch note', exact: true }).waitFor();
    await page.mouse.move(0, 0);
    await shot('editor-page-designer.png', page, { fullPage: true });
  });
});
