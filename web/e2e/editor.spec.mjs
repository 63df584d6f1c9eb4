// The Model Editor in a real browser, against a running Torque (see
// internal/webapp/editor_e2e_test.go, which starts one): a builder signs
// in, creates a model, builds an entity type with validated fields, and
// undoes a deletion, which reaches the server; a second builder in another
// browser context sees the first one's edits live and the other way round;
// and an edit made while the server changed the same thing ends in the
// conflict dialog, where the builder keeps theirs. Elements are found by
// role and label. Any console error fails the run.
//
// env: see harness.mjs; TORQUE_SCREENSHOTS (a directory: write the
// editor screenshots there).
import { readFileSync } from 'node:fs';
import { base, check, email, eventually, expected401, labelled, page, password, scenario, step, watchConsole } from './harness.mjs';
import { addField, fieldLink, gql, openField, saved, serverModel, shot } from './editor-steps.mjs';

// signIn signs in on the form p shows (a second builder's page too).
async function signIn(p) {
  await p.getByRole('heading', { name: 'Sign in' }).waitFor();
  await p.getByLabel(labelled('Email')).fill(email);
  await p.getByLabel(labelled('Password')).fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
}

let exported;
await scenario('model editor scenario', 'torque-editor-failure.png', async () => {
  await step('sign in to the editor and see the models', async () => {
    expected401.add('/api/v1/auth/me');
    await page.goto(`${base}/editor/`);
    await signIn(page);
    await page.getByRole('heading', { name: 'Models', level: 1 }).waitFor();
    expected401.clear();
    await page.getByRole('table', { name: 'Models' }).getByRole('link', { name: 'TODO' }).waitFor();
  });

  await step('a model is exported as a JSON file', async () => {
    await shot('editor-models.png');
    await page.getByRole('button', { name: 'Actions for TODO' }).click();
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Export JSON' }).click()]);
    check(file.suggestedFilename() === 'TODO.json', `downloaded ${file.suggestedFilename()}`);
    const doc = JSON.parse(readFileSync(await file.path(), 'utf8'));
    check(doc.name === 'TODO' && doc.entities[0].name === 'Task', `exported ${JSON.stringify(doc).slice(0, 120)}`);
    exported = doc;
  });

  await step('imports of a file that is not JSON and of an invalid model are refused, and nothing is made', async () => {
    const input = page.locator('input[type=file]');
    await input.setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('this is not JSON') });
    await page.getByText('notes.json cannot be imported').waitFor();
    await input.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...exported, name: 'Broken', entities: [{ name: '1st', fields: [] }] })) });
    await page.getByText('broken.json was refused').waitFor();
    const { models } = await gql('{ models(search: "Broken") { totalCount } }');
    check(models.totalCount === 0, `an invalid import made ${models.totalCount} models`);
  });

  await step('a valid file is imported and opens; a model is duplicated, and one is deleted after confirming', async () => {
    const input = page.locator('input[type=file]');
    await input.setInputFiles({ name: 'copy.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...exported, name: 'Imported' })) });
    await page.waitForURL(`${base}/editor/models/Imported/entities`);
    await page.getByRole('heading', { name: 'Task', level: 2 }).waitFor();
    await page.goto(`${base}/editor/`);
    await page.getByRole('button', { name: 'Actions for Imported' }).click();
    await page.getByRole('menuitem', { name: 'Duplicate…' }).click();
    const dup = page.getByRole('dialog', { name: 'Duplicate Imported' });
    await dup.getByLabel(labelled('Name of the copy')).fill('Imported copy');
    await dup.getByRole('button', { name: 'Duplicate' }).click();
    await dup.getByText('Start with a letter').waitFor();
    await dup.getByLabel(labelled('Name of the copy')).fill('Imported-copy');
    await dup.getByRole('button', { name: 'Duplicate' }).click();
    await page.getByRole('table', { name: 'Models' }).getByRole('link', { name: 'Imported-copy' }).waitFor();
    await page.getByRole('button', { name: 'Actions for Imported-copy' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    const del = page.getByRole('dialog', { name: 'Delete Imported-copy?' });
    await del.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('table', { name: 'Models' }).getByRole('link', { name: 'Imported-copy' }).waitFor();
    await page.getByRole('button', { name: 'Actions for Imported-copy' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    await del.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('table', { name: 'Models' }).getByRole('link', { name: 'Imported-copy' }).waitFor({ state: 'detached' });
  });

  await step('deleting a model that an app uses is refused in the dialog', async () => {
    await page.getByRole('button', { name: 'Actions for TODO' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    const del = page.getByRole('dialog', { name: 'Delete TODO?' });
    await del.getByRole('button', { name: 'Delete' }).click();
    await del.getByRole('alert').filter({ hasText: 'used by apps: todo' }).waitFor();
    await del.getByRole('button', { name: 'Cancel' }).click();
  });

  await step('a bad model name is refused under the field, then a blank model is created', async () => {
    await page.getByRole('button', { name: 'New model' }).click();
    const dialog = page.getByRole('dialog', { name: 'New model' });
    await dialog.getByLabel(labelled('Name')).fill('1 tracker');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText('Start with a letter').waitFor();
    await dialog.getByLabel(labelled('Name')).fill('Tracker');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(`${base}/editor/models/Tracker/entities`);
    await page.getByText('No entity types yet').waitFor();
  });

  await step('an entity is added by typing its name and Enter; a duplicate is refused', async () => {
    await page.getByRole('button', { name: 'Add entity' }).click();
    await page.getByLabel(labelled('New entity name')).fill('Task');
    await page.getByLabel(labelled('New entity name')).press('Enter');
    await page.waitForURL(`${base}/editor/models/Tracker/entities/Task`);
    await page.getByRole('heading', { name: 'Task', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Add entity' }).click();
    await page.getByLabel(labelled('New entity name')).fill('Task');
    await page.getByText('There is already an entity with this name').waitFor();
    await page.getByLabel(labelled('New entity name')).press('Escape');
  });

  await step('five fields are added, and a field name that is taken is refused', async () => {
    await addField('title', 'string');
    await addField('description', 'text');
    await addField('status', 'enum', ['todo', 'doing', 'done']);
    await addField('due', 'date');
    await addField('priority', 'integer');
    await addField('tags', 'string');
    const form = page.getByRole('form', { name: /Add a field/ });
    await form.getByLabel(labelled('Field name')).fill('title');
    await form.getByText('There is already a field with this name').waitFor();
    await form.getByLabel(labelled('Field name')).fill('');
    await saved(page);
  });

  await step('validation rules are set in the field panel and saved', async () => {
    await fieldLink('title').click();
    const panel = page.getByRole('dialog', { name: 'Field Task.title' });
    await panel.getByRole('checkbox', { name: 'Required' }).check();
    await panel.getByLabel(labelled('Maximum length')).fill('2');
    await panel.getByLabel(labelled('Minimum length')).fill('10');
    await panel.getByText('Must be at least the minimum length').waitFor();
    await panel.getByLabel(labelled('Maximum length')).fill('200');
    await panel.getByLabel(labelled('Minimum length')).fill('1');
    await panel.getByLabel(labelled('Display name')).fill('Title');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    await fieldLink('priority').click();
    const pr = page.getByRole('dialog', { name: 'Field Task.priority' });
    await pr.getByLabel(labelled('Minimum')).fill('1');
    await pr.getByLabel(labelled('Maximum')).fill('5');
    await page.keyboard.press('Escape');
    await saved(page);
    const m = await serverModel('Tracker', page);
    const fields = m.document.entities[0].fields;
    check(fields.map((f) => f.name).join(',') === 'title,description,status,due,priority,tags', `fields ${fields.map((f) => f.name)}`);
    const title = fields[0];
    check(title.required === true && title.maxLength === 200 && title.minLength === 1 && title.displayName === 'Title', `title ${JSON.stringify(title)}`);
    check(fields[2].values.join(',') === 'todo,doing,done', `status ${JSON.stringify(fields[2])}`);
    check(fields[4].min === 1 && fields[4].max === 5, `priority ${JSON.stringify(fields[4])}`);
    await shot('editor-entity.png', page);
  });

  await step('a type change that stored records would break is refused at the field, and nothing changes', async () => {
    await gql('mutation { createApp(name: "tracker", model: "Tracker") { name } }');
    const res = await page.request.post(`${base}/api/v1/apps/tracker/entities/Task`, {
      headers: { Origin: base }, data: { data: { title: 'Stored', tags: 'urgent' } },
    });
    check(res.status() === 201, `storing a task answered ${res.status()}: ${await res.text()}`);
    const before = await serverModel('Tracker', page);
    await fieldLink('tags').click();
    const panel = page.getByRole('dialog', { name: 'Field Task.tags' });
    await panel.getByRole('textbox', { name: labelled('Type') }).click();
    await page.getByRole('option', { name: 'integer', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Not saved' }).waitFor();
    await panel.getByText(/cannot change "tags" from string to integer/).waitFor();
    await eventually(async () => (await panel.getByRole('textbox', { name: labelled('Type') }).inputValue()) === 'string', 'the type shows string again');
    const after = await serverModel('Tracker', page);
    check(after.version === before.version, `the model changed: version ${before.version} → ${after.version}`);
    await shot('editor-refused.png', page);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Dismiss' }).click();
  });

  await step('a deleted field comes back with Undo, on the server too; Redo deletes it again', async () => {
    await page.getByRole('button', { name: 'Actions for field description' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await saved(page);
    let m = await serverModel('Tracker', page);
    check(!m.document.entities[0].fields.some((f) => f.name === 'description'), 'description still on the server');
    await page.getByRole('button', { name: 'Undo' }).click();
    await fieldLink('description').waitFor();
    await saved(page);
    m = await serverModel('Tracker', page);
    check(m.document.entities[0].fields[1]?.name === 'description', `after undo: ${m.document.entities[0].fields.map((f) => f.name)}`);
    await page.keyboard.press('Control+Shift+Z');
    await fieldLink('description').waitFor({ state: 'detached' });
    await saved(page);
    await page.keyboard.press('Control+Z');
    await saved(page);
    m = await serverModel('Tracker', page);
    check(m.document.entities[0].fields.length === 6, `after redo and undo: ${m.document.entities[0].fields.map((f) => f.name)}`);
  });

  const other = await page.context().browser().newContext({ viewport: { width: 1280, height: 860 } });
  const page2 = await other.newPage();
  watchConsole(page2);
  await step('a second builder sees the first one\'s edits live, and the other way round', async () => {
    await page2.goto(`${base}/editor/models/Tracker/entities/Task`);
    expected401.add('/api/v1/auth/me');
    await signIn(page2);
    await page2.getByRole('heading', { name: 'Task', level: 2 }).waitFor();
    expected401.clear();
    const started = Date.now();
    await addField('labels', 'string');
    await fieldLink('labels', page2).waitFor();
    console.log(`the second builder saw the new field ${Date.now() - started} ms after it was added`);
    await page2.getByLabel(labelled('Display name')).fill('To-do item');
    await eventually(async () => (await page.getByLabel(labelled('Display name')).inputValue()) === 'To-do item', 'the first builder sees the display name');
    await saved(page2);
  });

  await step('each builder sees who else is on the model and what they are editing', async () => {
    await page.getByRole('group', { name: /^Also here: admin@localhost/ }).waitFor();
    await page2.getByRole('group', { name: /^Also here: admin@localhost/ }).waitFor();
    await fieldLink('due', page2).click();
    await page2.getByRole('dialog', { name: 'Field Task.due' }).waitFor();
    const dueRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'due', exact: true }) });
    await dueRow.getByText('AD editing').waitFor();
    await shot('editor-presence.png', page);
    await page2.keyboard.press('Escape');
    await dueRow.getByText('AD editing').waitFor({ state: 'detached' });
  });

  await step('a change made through the API appears without a reload', async () => {
    const times = [];
    for (let i = 0; i < 5; i++) {
      const m = await serverModel('Tracker', page2);
      const name = `api${i}`;
      await gql('mutation($v: Int!, $f: JSON!) { addField(model: "Tracker", baseVersion: $v, entity: "Task", field: $f) { version } }', { v: m.version, f: { name, type: 'string' } }, page2);
      const answered = Date.now();
      await page.getByRole('table', { name: /Fields of/ }).getByRole('link', { name, exact: true }).waitFor();
      times.push(Date.now() - answered);
    }
    times.sort((a, b) => a - b);
    console.log(`a field added through the API showed in the editor after ${times.join(', ')} ms (median ${times[2]} ms)`);
    const m = await serverModel('Tracker', page2);
    await gql('mutation($v: Int!, $e: [ModelEditInput!]!) { editModel(name: "Tracker", baseVersion: $v, edits: $e) { version } }', {
      v: m.version, e: [0, 1, 2, 3, 4].map((i) => ({ op: 'removeField', entity: 'Task', field: `api${i}` })),
    }, page2);
    await fieldLink('api4').waitFor({ state: 'detached' });
  });

  await step('an edit made while someone changed another setting of the same field merges by itself', async () => {
    let release;
    const held = new Promise((r) => { release = r; });
    await page.route('**/graphql', async (route) => {
      if ((route.request().postData() ?? '').includes('"operationName":"EditModel"')) await held;
      await route.continue();
    });
    const panel = await openField('Task', 'due');
    await panel.getByLabel(labelled('Display name')).fill('Due on');
    await page.getByRole('status', { name: 'Save status: Saving…' }).waitFor();
    const m = await serverModel('Tracker', page2);
    await gql('mutation($v: Int!) { updateField(model: "Tracker", baseVersion: $v, entity: "Task", field: "due", patch: {indexed: false}) { version } }', { v: m.version }, page2);
    release();
    await saved();
    await page.unroute('**/graphql');
    check(!(await page.getByRole('dialog', { name: 'Someone else changed the same thing' }).isVisible()), 'a conflict dialog for a merge');
    await eventually(async () => panel.getByRole('radio', { name: 'Not indexed' }).isChecked(), 'the panel shows their index setting');
    const due = (await serverModel('Tracker')).document.entities[0].fields.find((f) => f.name === 'due');
    check(due.displayName === 'Due on' && due.indexed === false, `both kept: ${JSON.stringify(due)}`);
    await page.keyboard.press('Escape');
  });

  await step('an edit that clashes with a change saved meanwhile shows the conflict dialog; theirs is kept', async () => {
    // Hold the first builder's save until the other change is in.
    let release;
    const held = new Promise((r) => { release = r; });
    await page.route('**/graphql', async (route) => {
      if ((route.request().postData() ?? '').includes('"operationName":"EditModel"')) await held;
      await route.continue();
    });
    await fieldLink('title').click();
    const panel = page.getByRole('dialog', { name: 'Field Task.title' });
    await panel.getByLabel(labelled('Maximum length')).fill('120');
    await page.getByRole('status', { name: 'Save status: Saving…' }).waitFor();
    const m = await serverModel('Tracker', page2);
    await gql('mutation($v: Int!) { updateField(model: "Tracker", baseVersion: $v, entity: "Task", field: "title", patch: {maxLength: 50}) { version } }', { v: m.version }, page2);
    release();
    const dialog = page.getByRole('dialog', { name: 'Someone else changed the same thing' });
    await dialog.waitFor();
    await shot('editor-conflict.png', page);
    await dialog.getByRole('radio', { name: 'Keep theirs' }).check();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await saved(page);
    await eventually(async () => (await panel.getByLabel(labelled('Maximum length')).inputValue()) === '50', 'the panel shows theirs');
    const after = await serverModel('Tracker', page);
    check(after.document.entities[0].fields[0].maxLength === 50, `maxLength ${after.document.entities[0].fields[0].maxLength}`);
    await page.keyboard.press('Escape');
    await page.unroute('**/graphql');
  });
  await other.close();

  await step('time from navigation to an editable model', async () => {
    const times = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      await page.goto(`${base}/editor/models/Tracker/entities/Task`);
      await fieldLink('priority').waitFor();
      await page.getByRole('button', { name: 'Add field' }).waitFor({ state: 'visible' });
      times.push(Date.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(`navigation to an editable model: ${times.join(', ')} ms (median ${times[2]} ms)`);
  });
});
