// The TODO scenario in a real browser, against a running Torque (see
// internal/webapp/e2e_test.go, which starts one): sign in, create a task
// (a title that is too long is refused under the field), sort, filter,
// search, edit and delete it, open a task's page (its detail: values,
// edit, a reload of its address, history, delete). Elements are found by
// role and label, as a person finds them. Any console error fails the run.
//
// env: see harness.mjs; TORQUE_SCREENSHOTS (a directory: write
// todo-tasks.png, todo-form.png and todo-detail.png there).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { base, check, email, eventually, expected401, labelled, page, password, rest, scenario, step, timeout } from './harness.mjs';

const shots = process.env.TORQUE_SCREENSHOTS || '';

const dataRows = () => page.getByRole('table').getByRole('row').filter({ has: page.getByRole('cell') });

async function pick(scope, label, option) {
  await scope.getByRole('textbox', { name: labelled(label) }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function fillTask(dialog, t) {
  await dialog.getByLabel(labelled('Title')).fill(t.title);
  await dialog.getByLabel(labelled('Description')).fill(t.description);
  await pick(dialog, 'Status', t.status);
  await dialog.getByLabel(labelled('Due')).fill(t.due);
  await dialog.getByLabel(labelled('Priority')).fill(String(t.priority));
}

await scenario('todo scenario', 'torque-e2e-failure.png', async () => {
  await step('sign in is asked for, and a wrong password is refused', async () => {
    expected401.add('/api/v1/auth/me');
    await page.goto(`${base}/app/todo/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel(labelled('Email')).fill(email);
    await page.getByLabel(labelled('Password')).fill('not the password');
    expected401.add('/api/v1/auth/login');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'wrong email or password' }).waitFor();
  });

  await step('sign in and land on the Tasks page', async () => {
    await page.getByLabel(labelled('Password')).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/app/todo/tasks`);
    expected401.clear();
    await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
    await page.getByRole('table').waitFor();
    await page.getByRole('button', { name: 'New Task' }).waitFor();
    await page.getByText('No tasks yet').waitFor();
    check((await page.title()).startsWith('Tasks'), `document title ${await page.title()}`);
  });

  const dialog = page.getByRole('dialog', { name: 'New Task' });
  await step('a title of 300 characters is refused under the field', async () => {
    await page.getByRole('button', { name: 'New Task' }).click();
    await dialog.waitFor();
    await dialog.getByLabel(labelled('Title')).fill('x'.repeat(300));
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('must be at most 200 characters').waitFor();
    const title = dialog.getByLabel(labelled('Title'));
    check((await title.getAttribute('aria-invalid')) === 'true', 'Title is not marked invalid');
    if (shots) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, 'todo-form.png') });
    }
    check((await dataRows().count()) === 0, 'a row was added');
  });

  await step('a valid task is saved and its row appears', async () => {
    await fillTask(dialog, { title: 'Write the release notes', description: 'For 1.0', status: 'doing', due: '2030-05-01', priority: 3 });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('row', { name: /Write the release notes/ }).waitFor();
    await page.getByRole('button', { name: 'New Task' }).click();
    await dialog.waitFor();
    await fillTask(dialog, { title: 'Book the venue', description: 'For the party', status: 'todo', due: '2030-01-15', priority: 5 });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('row', { name: /Book the venue/ }).waitFor();
    if (shots) await page.screenshot({ path: join(shots, 'todo-tasks.png') });
  });

  await step('a task made elsewhere (REST) appears live, over the WebSocket', async () => {
    const res = await page.request.post(`${base}/api/v1/apps/todo/entities/Task`, {
      headers: { Origin: base },
      data: { data: { title: 'Made over REST', status: 'todo', due: '2030-03-01' } },
    });
    check(res.status() === 201, `REST create answered ${res.status()}`);
    await page.getByRole('row', { name: /Made over REST/ }).waitFor();
    const del = await page.request.delete(`${base}/api/v1/apps/todo/entities/Task/${(await res.json()).id}`, { headers: { Origin: base } });
    check(del.status() === 204, `REST delete answered ${del.status()}`);
    await page.getByRole('row', { name: /Made over REST/ }).waitFor({ state: 'detached' });
  });

  await step('sort by Due, on the server', async () => {
    const due = page.getByRole('columnheader', { name: /Due/ });
    check((await due.getAttribute('aria-sort')) === 'ascending', 'the grid is not sorted by due at first');
    await expectFirstRow('Book the venue');
    await due.getByRole('button').click();
    await page.waitForFunction(() => document.querySelector('th[aria-sort="descending"]') !== null);
    await expectFirstRow('Write the release notes');
  });

  await step('filter by status and search', async () => {
    await pick(page, 'Filter Status', 'doing');
    await page.getByRole('row', { name: /Book the venue/ }).waitFor({ state: 'detached' });
    check((await dataRows().count()) === 1, 'the filter kept other rows');
    await pick(page, 'Filter Status', 'todo');
    await page.getByRole('row', { name: /Write the release notes/ }).waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /Book the venue/ }).waitFor();
    await page.getByLabel(labelled('Search')).fill('release');
    await page.getByText('No tasks match').waitFor();
    await page.reload();
    await page.getByRole('row', { name: /Book the venue/ }).waitFor();
    await page.getByLabel(labelled('Search')).fill('venue');
    await page.getByRole('row', { name: /Write the release notes/ }).waitFor({ state: 'detached' });
    await page.getByLabel(labelled('Search')).fill('');
    await page.getByRole('row', { name: /Write the release notes/ }).waitFor();
  });

  await step('edit a task from its row', async () => {
    await page.getByRole('button', { name: 'Edit Write the release notes' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Task' });
    await edit.waitFor();
    const title = edit.getByLabel(labelled('Title'));
    await eventually(async () => (await title.inputValue()) === 'Write the release notes', 'the form shows the task');
    await eventually(async () => (await edit.getByLabel(labelled('Priority')).inputValue()) === '3', 'priority is loaded');
    await title.fill('Write the release notes for 1.0');
    await pick(edit, 'Status', 'done');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'hidden' });
    await page.getByRole('row', { name: /Write the release notes for 1\.0.*done/ }).waitFor();
  });

  const detail = page.getByRole('table', { name: 'Task details' });
  const detailRow = (label) => detail.getByRole('row', { name: new RegExp(`^${label}\\b`) });

  await step("a task's title opens its page, with every field formatted", async () => {
    await page.getByRole('link', { name: 'Book the venue', exact: true }).click();
    await page.waitForURL(new RegExp(`${base}/app/todo/tasks/[0-9a-f-]{36}$`));
    await page.getByRole('heading', { name: 'Book the venue', level: 2 }).waitFor();
    // The browser is in Los Angeles (harness.mjs): the date must not move a day back.
    for (const [label, value] of [['Title', 'Book the venue'], ['Description', 'For the party'], ['Status', 'todo'], ['Due', 'Jan 15, 2030'], ['Priority', '5']]) {
      const cell = detailRow(label).getByRole('cell');
      await eventually(async () => (await cell.innerText()).trim() === value, `${label} reads ${value}`);
    }
    const created = detailRow('Created at').getByRole('cell').locator('time');
    await created.waitFor();
    check(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M$/.test(await created.innerText()), `Created at reads ${await created.innerText()}`);
    // The navigation lists the Tasks page (where one is), not the page of one task (titled Task).
    const nav = page.getByRole('navigation', { name: 'Pages' });
    await nav.getByRole('link', { name: 'Tasks', exact: true }).waitFor();
    check((await nav.getByRole('link', { name: 'Task', exact: true }).count()) === 0, 'the navigation lists the detail page');
    check((await nav.getByRole('link', { name: 'Tasks', exact: true }).getAttribute('aria-current')) === 'true',
      'the Tasks link does not say it is where one is');
    if (shots) await page.screenshot({ path: join(shots, 'todo-detail.png') });
  });

  await step("a task's page survives a reload and answers to Back and Forward", async () => {
    const url = page.url();
    await page.reload();
    await page.getByRole('heading', { name: 'Book the venue', level: 2 }).waitFor();
    await detailRow('Description').getByRole('cell', { name: 'For the party' }).waitFor();
    await page.goBack();
    await page.waitForURL(`${base}/app/todo/tasks`);
    await page.getByRole('row', { name: /Book the venue/ }).waitFor();
    await page.goForward();
    await page.waitForURL(url);
    await page.getByRole('heading', { name: 'Book the venue', level: 2 }).waitFor();
  });

  await step("a task is edited from its page, which shows the change", async () => {
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Task' });
    await edit.waitFor();
    const priority = edit.getByLabel(labelled('Priority'));
    await eventually(async () => (await priority.inputValue()) === '5', 'the form shows the priority');
    await priority.fill('2');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'hidden' });
    await detailRow('Priority').getByRole('cell', { name: '2', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Back to Tasks' }).click();
    await page.waitForURL(`${base}/app/todo/tasks`);
    await page.getByRole('row', { name: /Book the venue/ }).getByRole('cell', { name: '2', exact: true }).waitFor();
  });

  await step("a task is deleted from its page, opened by its address; the address then says it is gone", async () => {
    const made = await rest('POST', '/apps/todo/entities/Task', { data: { title: 'Short-lived', status: 'done' } }, 201);
    await page.goto(`${base}/app/todo/tasks/${made.id}`);
    await page.getByRole('heading', { name: 'Short-lived', level: 2 }).waitFor();
    await detailRow('Due').getByText('empty').waitFor();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete task' });
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(`${base}/app/todo/tasks`);
    await page.getByRole('row', { name: /Book the venue/ }).waitFor();
    check((await page.getByRole('row', { name: /Short-lived/ }).count()) === 0, 'the deleted task is listed');
    await page.goto(`${base}/app/todo/tasks/${made.id}`);
    await page.getByText('This task does not exist').waitFor();
    await page.getByRole('link', { name: 'Back to Tasks' }).click();
    await page.waitForURL(`${base}/app/todo/tasks`);
  });

  await step('delete a task after confirming', async () => {
    await page.getByRole('button', { name: 'Delete Write the release notes for 1.0' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete task' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('row', { name: /Write the release notes/ }).waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /Book the venue/ }).waitFor();
    const search = page.getByLabel(labelled('Search'));
    await eventually(() => search.evaluate((el) => el === document.activeElement), 'the search box has the focus after the delete');
  });

  await step('a field added to Task through the API shows as a column at once, keeping form input', async () => {
    await page.evaluate(() => { window.__sameDocument = true; });
    await page.getByRole('button', { name: 'New Task' }).click();
    const dialog = page.getByRole('dialog', { name: 'New Task' });
    await dialog.waitFor();
    await dialog.getByLabel(labelled('Title')).fill('Typed before the change');
    const model = await page.request.get(`${base}/api/v1/models/TODO`);
    check(model.status() === 200, `model read answered ${model.status()}`);
    const version = (await model.json()).version;
    const res = await page.request.post(`${base}/graphql`, {
      headers: { Origin: base },
      data: { query: `mutation { addField(model: "TODO", baseVersion: ${version}, entity: "Task", field: {name: "tags", displayName: "Tags", type: "string"}) { version } }` },
    });
    const body = await res.json();
    check(res.status() === 200 && !body.errors, `addField answered ${res.status()}: ${JSON.stringify(body.errors)}`);
    const started = Date.now();
    await page.getByRole('columnheader', { name: 'Tags' }).waitFor();
    console.log(`the Tags column appeared ${Date.now() - started} ms after the API answered`);
    check(await page.evaluate(() => window.__sameDocument === true), 'the page was reloaded');
    check((await dialog.getByLabel(labelled('Title')).inputValue()) === 'Typed before the change', 'the form lost its input');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  await step('time from navigation to an interactive Tasks page', async () => {
    const times = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      await page.goto(`${base}/app/todo/tasks`);
      await page.getByRole('row', { name: /Book the venue/ }).waitFor();
      await page.getByRole('button', { name: 'New Task' }).waitFor({ state: 'visible' });
      times.push(Date.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(`navigation to an interactive Tasks page: ${times.join(', ')} ms (median ${times[2]} ms)`);
  });

  await step('works at 375 px wide: the table scrolls, not the page', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.getByRole('table').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 375, `the page is ${width} px wide`);
  });

  await step('sign out', async () => {
    await page.setViewportSize({ width: 1280, height: 860 });
    expected401.add('/api/v1/auth/me');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });
});

async function expectFirstRow(text) {
  await page.waitForFunction(
    (t) => document.querySelector('table tbody tr')?.textContent?.includes(t) ?? false,
    text,
    { timeout },
  );
}
