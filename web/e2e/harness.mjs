// What the browser scenarios share: the environment they run in (see
// internal/webapp/e2e_test.go), a headless Chromium page whose console
// errors fail the run, named steps, and finding fields by their label.
//
// env: TORQUE_URL (http://127.0.0.1:PORT), TORQUE_PASSWORD, TORQUE_EMAIL
// (default admin@localhost), CHROMIUM (default /usr/bin/chromium).
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const base = must('TORQUE_URL');
export const password = must('TORQUE_PASSWORD');
export const email = process.env.TORQUE_EMAIL || 'admin@localhost';
export const timeout = 15000;

function must(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`${name} is required`);
    process.exit(2);
  }
  return v;
}

export function check(ok, message) {
  if (!ok) throw new Error(message);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run'],
});
// A fixed locale and a time zone west of UTC, so that scenarios can expect
// exact texts, and a date shown a day off (read as UTC midnight, written
// in local time) shows.
export const locale = 'en-US';
export const timezoneId = 'America/Los_Angeles';
const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale, timezoneId });
context.setDefaultTimeout(timeout);
export const page = await context.newPage();

// Console errors fail the run, except the 401s the app expects: asking who
// is signed in before anyone is, and the wrong password tried on purpose.
const errors = [];
export const expected401 = new Set();

// watchConsole makes p's console errors and uncaught errors fail the run
// (the scenario's page is watched already; a second builder's page must be
// watched too).
export function watchConsole(p) {
  p.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = m.location()?.url ?? '';
    if (/status of 401/.test(m.text()) && [...expected401].some((x) => url.endsWith(x))) return;
    errors.push(`${m.text()} (${url})`);
  });
  p.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
}
watchConsole(page);

let stepName = '';

// step runs one named step of a scenario and reports its time.
export async function step(name, fn) {
  stepName = name;
  const start = Date.now();
  await fn();
  console.log(`ok   ${name} (${Date.now() - start} ms)`);
}

// scenario runs body, fails the run on an error or a console error (with a
// screenshot named shot in TMPDIR), and closes the browser.
export async function scenario(name, shot, body) {
  try {
    await body();
    check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
    console.log(`PASS ${name}`);
  } catch (e) {
    console.error(`FAIL at "${stepName}": ${e instanceof Error ? e.message : e}`);
    if (errors.length) console.error(`console errors:\n${errors.join('\n')}`);
    await page.screenshot({ path: join(process.env.TMPDIR || '/tmp', shot) }).catch(() => {});
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

// labelled matches a label exactly, with the mark of a required field.
export const labelled = (label) => new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);

// eventually waits until fn answers true.
export async function eventually(fn, what) {
  const end = Date.now() + timeout;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// signIn opens url, signs in on the form it shows, and waits for the page
// heading (level 1) named heading.
export async function signIn(url, heading) {
  expected401.add('/api/v1/auth/me');
  await page.goto(url);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel(labelled('Email')).fill(email);
  await page.getByLabel(labelled('Password')).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  expected401.clear();
}

// graphql runs a GraphQL operation as the signed-in user and returns its
// data; errors fail the step.
export async function graphql(query, variables = {}) {
  const res = await page.request.post(`${base}/graphql`, { headers: { Origin: base }, data: { query, variables } });
  const body = await res.json();
  check(res.status() === 200 && !body.errors, `GraphQL answered ${res.status()}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

// modelVersion is the current version of the model named name.
export async function modelVersion(name) {
  const res = await page.request.get(`${base}/api/v1/models/${name}`);
  check(res.status() === 200, `model read answered ${res.status()}`);
  return (await res.json()).version;
}

// rest sends a REST request as the signed-in user and returns the answer's
// JSON (null for 204); a status other than want fails the step.
export async function rest(method, path, data, want) {
  const res = await page.request.fetch(`${base}/api/v1${path}`, { method, headers: { Origin: base }, ...(data ? { data } : {}) });
  check(res.status() === want, `${method} ${path} answered ${res.status()}, want ${want}: ${await res.text()}`);
  return res.status() === 204 ? null : res.json();
}
