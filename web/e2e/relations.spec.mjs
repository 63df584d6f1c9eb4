// The relations scenario in a real browser, against a running Torque with
// the app "projects" (see TestRelationsScenarioInBrowser in
// internal/webapp/e2e_test.go): Project and Task, a task referring to its
// project. Sign in, create two projects on the generated Projects page, then
// a task whose project is picked by name (searched on the server), see the
// pick again when the task is opened, the project's name on the task's page
// (a link to the project's page, renamed there when the project is), and in
// a grid column (a page added through GraphQL). Any console error fails the
// run.
//
// env: see harness.mjs.
import { base, check, email, eventually, expected401, labelled, page, password, rest, scenario, step } from './harness.mjs';

const app = `${base}/app/projects`;

async function create(entity, label, value) {
  await page.getByRole('button', { name: `New ${entity}` }).click();
  const dialog = page.getByRole('dialog', { name: `New ${entity}` });
  await dialog.waitFor();
  await dialog.getByLabel(labelled(label)).fill(value);
  return dialog;
}

async function save(dialog) {
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'hidden' });
}

async function entities(type) {
  const res = await page.request.get(`${base}/api/v1/apps/projects/entities/${type}`);
  check(res.status() === 200, `listing ${type} answered ${res.status()}`);
  return (await res.json()).items;
}

await scenario('relations scenario', 'torque-e2e-relations-failure.png', async () => {
  await step('sign in and open the Projects page', async () => {
    expected401.add('/api/v1/auth/me');
    await page.goto(`${app}/projects`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel(labelled('Email')).fill(email);
    await page.getByLabel(labelled('Password')).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Projects', level: 1 }).waitFor();
    expected401.clear();
    await page.getByText('No projects yet').waitFor();
  });

  await step('create two projects', async () => {
    for (const name of ['Apollo', 'Borealis']) {
      await save(await create('Project', 'Name', name));
      await page.getByRole('row', { name: new RegExp(name) }).waitFor();
    }
  });

  await step('create a task, picking its project by a search on the server', async () => {
    await page.getByRole('link', { name: 'Tasks' }).click();
    await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
    const dialog = await create('Task', 'Title', 'Draw the plan');
    const picker = dialog.getByRole('textbox', { name: labelled('Project') });
    await picker.click();
    await page.getByRole('option', { name: 'Apollo', exact: true }).waitFor();
    await page.getByRole('option', { name: 'Borealis', exact: true }).waitFor();
    await picker.fill('bor');
    await page.getByRole('option', { name: 'Apollo', exact: true }).waitFor({ state: 'detached' });
    await page.getByRole('option', { name: 'Borealis', exact: true }).click();
    await eventually(async () => (await picker.inputValue()) === 'Borealis', 'the picker shows Borealis');
    await save(dialog);
    await page.getByRole('row', { name: /Draw the plan/ }).waitFor();
  });

  await step('the task refers to the project by its id', async () => {
    const borealis = (await entities('Project')).find((p) => p.data.name === 'Borealis');
    const task = (await entities('Task')).find((t) => t.data.title === 'Draw the plan');
    check(borealis && task, 'the project or the task is missing');
    check(task.data.project === borealis.id, `the task's project is ${JSON.stringify(task.data.project)}, want ${borealis.id}`);
    // The lookup a grid makes to name the projects of its rows.
    const res = await page.request.post(`${base}/rpc`, {
      headers: { Origin: base },
      data: { jsonrpc: '2.0', id: 1, method: 'loadEntityData',
        params: { app: 'projects', entity: 'Project', filter: `id in [${JSON.stringify(borealis.id)}]`, limit: 1 } },
    });
    const body = await res.json();
    check(body.result?.items?.length === 1 && body.result.items[0].data.name === 'Borealis', `id in answered ${JSON.stringify(body)}`);
  });

  await step('reopen the task and see its project picked', async () => {
    await page.reload();
    await page.getByRole('button', { name: 'Edit Draw the plan' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Task' });
    await edit.waitFor();
    const picker = edit.getByRole('textbox', { name: labelled('Project') });
    await eventually(async () => (await picker.inputValue()) === 'Borealis', 'the picker shows Borealis');
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await edit.waitFor({ state: 'hidden' });
  });

  await step("the task's page names its project, linking to the project's page", async () => {
    await page.getByRole('link', { name: 'Draw the plan', exact: true }).click();
    await page.getByRole('heading', { name: 'Draw the plan', level: 2 }).waitFor();
    const project = page.getByRole('table', { name: 'Task details' }).getByRole('row', { name: /^Project/ });
    await project.getByRole('link', { name: 'Borealis', exact: true }).click();
    await page.getByRole('heading', { name: 'Borealis', level: 2 }).waitFor();
    check(/\/app\/projects\/projects\/[0-9a-f-]{36}$/.test(page.url()), `the project's page is at ${page.url()}`);
    await page.goBack();
    await page.getByRole('heading', { name: 'Draw the plan', level: 2 }).waitFor();
    await page.getByRole('link', { name: 'Back to Tasks' }).click();
    await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
  });

  await step("a project renamed elsewhere is renamed on the task's page", async () => {
    await page.getByRole('link', { name: 'Draw the plan', exact: true }).click();
    const project = page.getByRole('table', { name: 'Task details' }).getByRole('row', { name: /^Project/ });
    await project.getByRole('link', { name: 'Borealis', exact: true }).waitFor();
    const borealis = (await entities('Project')).find((p) => p.data.name === 'Borealis');
    await rest('PATCH', `/apps/projects/entities/Project/${borealis.id}`, { version: borealis.version, data: { name: 'Borealis II' } }, 200);
    await project.getByRole('link', { name: 'Borealis II', exact: true }).waitFor();
    await rest('PATCH', `/apps/projects/entities/Project/${borealis.id}`, { version: borealis.version + 1, data: { name: 'Borealis' } }, 200);
    await project.getByRole('link', { name: 'Borealis', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Back to Tasks' }).click();
    await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
  });

  await step('a grid showing the project column names the project', async () => {
    const model = await page.request.get(`${base}/api/v1/models/Projects`);
    check(model.status() === 200, `model read answered ${model.status()}`);
    const version = (await model.json()).version;
    const board = { name: 'Board', route: '/board', title: 'Board', components: [
      { id: 'board-grid', type: 'DataGrid', position: { row: 0, col: 0, span: 12 }, props: { entity: 'Task', columns: ['title', 'project'] } },
    ] };
    const res = await page.request.post(`${base}/graphql`, {
      headers: { Origin: base },
      data: { query: `mutation($page: JSON!) { addPage(model: "Projects", baseVersion: ${version}, page: $page) { version } }`,
        variables: { page: board } },
    });
    const body = await res.json();
    check(res.status() === 200 && !body.errors, `addPage answered ${res.status()}: ${JSON.stringify(body.errors)}`);
    await page.goto(`${app}/board`);
    await page.getByRole('row', { name: /Draw the plan/ }).getByRole('cell', { name: 'Borealis', exact: true }).waitFor();
  });
});
