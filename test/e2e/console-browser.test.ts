// The web console in headless Chromium against a real esgate and the test upstream: sign in,
// generate an API key with the default expiration, copy it, download its CSV, use it, revoke it;
// create a role and a user and check the user's privileges; sign out and see the token refused.
// Screenshots go to docs/console/ with ESGATE_SCREENSHOTS=1 (the README shows them), else to a temp dir.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type Browser } from '../support/browser.js';
import { tempDir, type TempDir } from '../support/temp-dir.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const DAY = 86_400_000;

describe('web console in a browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let page: Page;
  let shots: TempDir | null = null;
  const problems: string[] = [];
  const bearerTokens = new Set<string>();

  const shot = async (name: string) => {
    const dir = process.env['ESGATE_SCREENSHOTS'] === '1' ? join(import.meta.dirname, '../../docs/console') : (shots ??= tempDir('esgate-shots-')).path;
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: false });
  };
  const api = (path: string, authorization: string, init: RequestInit = {}) => fetch(`${base}${path}`, { ...init, headers: { authorization, 'content-type': 'application/json' } });

  beforeAll(async () => {
    t = await buildTestApp();
    // The browser counts days from its own clock: give the server the same one.
    t.clock.set(Date.now());
    base = await t.listen();
    browser = await launchBrowser({ origin: base });
    page = await browser.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('request', (request) => {
      const authorization = request.headers()['authorization'];
      if (authorization?.startsWith('Bearer ')) bearerTokens.add(authorization);
    });
    page.on('dialog', (dialog) => void dialog.accept());
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    shots?.remove();
  });

  it('signs in as elastic with the bootstrap password and shows who that is', async () => {
    await page.goto(`${base}/_esgate/console/`);
    await expect.poll(() => page.title()).toBe('esgate console');
    await shot('sign-in');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The refusal is shown as the API words it.
    await page.getByRole('alert').filter({ hasText: '401 security_exception' }).waitFor();
    await page.getByLabel('Password').fill(t.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Who am I' }).click();
    await expect.poll(() => page.getByTestId('whoami-username').textContent()).toBe('elastic');
    expect(await page.locator('dl.facts').textContent()).toContain('superuser');
    await shot('who-am-i');
  });

  it('generates an API key that expires in 90 days by default, copies it and downloads its CSV', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('button', { name: 'Generate API key' }).click();
    expect(await page.getByLabel('Expiration').inputValue()).toBe('90d');
    await page.getByLabel('Name', { exact: true }).fill('e2e-ingest');
    await page.getByRole('button', { name: 'Generate API key' }).click();
    const shown = page.getByLabel('Encoded API key');
    await shown.waitFor();
    const encoded = await shown.inputValue();
    expect(encoded.length).toBeGreaterThan(20);
    await shot('api-key-generated');

    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(encoded);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('api-key-e2e-ingest.csv');
    const csv = readFileSync((await download.path()) as string, 'utf8').split('\r\n');
    expect(csv[0]).toBe('id,name,api_key,encoded,expiration');
    const [id, name, key, csvEncoded, expiration] = (csv[1] ?? '').split(',');
    expect(name).toBe('e2e-ingest');
    expect(csvEncoded).toBe(encoded);
    expect(Buffer.from(encoded, 'base64').toString()).toBe(`${id}:${key}`);
    expect(Math.abs(Date.parse(expiration ?? '') - (Date.now() + 90 * DAY))).toBeLessThan(60_000);

    // Used like curl would: the ECE expiration header says three months out.
    const used = await api('/_security/_authenticate', `ApiKey ${encoded}`);
    expect(used.status).toBe(200);
    const header = Date.parse(used.headers.get('x-elastic-api-key-expiration') ?? '');
    expect(Math.abs(header - (Date.now() + 90 * DAY))).toBeLessThan(60_000);

    await page.getByRole('button', { name: 'Done' }).click();
    const row = page.locator(`tr[data-key-id="${id}"]`);
    expect(await row.textContent()).toContain('expires in 90 days');
    await shot('api-keys');

    // Filtered by name through _query/api_key.
    await page.getByLabel('Filter by name').fill('no-such-key');
    await page.getByText('0 API key(s)').waitFor();
    await page.getByLabel('Filter by name').fill('INGEST');
    await page.getByText('1 API key(s)').waitFor();

    await page.getByRole('button', { name: 'Revoke e2e-ingest' }).click();
    await page.getByText('Revoked 1 API key(s).').waitFor();
    await expect.poll(() => row.textContent()).toContain('invalidated');
    expect((await api('/_security/_authenticate', `ApiKey ${encoded}`)).status).toBe(401);
  });

  it('shows the API error for role descriptors the API refuses', async () => {
    await page.getByRole('button', { name: 'Generate API key' }).click();
    await page.getByLabel('Name', { exact: true }).fill('bad-roles');
    await page.getByText('Restrict privileges and add metadata (optional)').click();
    await page.getByLabel('Role descriptors (JSON)').fill('{"r":{"cluster":["no_such_privilege"]}}');
    await page.getByRole('button', { name: 'Generate API key' }).last().click();
    const alert = page.getByRole('alert').filter({ hasText: '400' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('no_such_privilege');
    // Fixed and sent again: the key is made with its role descriptors, then its metadata is updated.
    await page.getByLabel('Role descriptors (JSON)').fill('{"r":{"cluster":["monitor"]}}');
    await page.getByRole('button', { name: 'Generate API key' }).last().click();
    await page.getByLabel('Encoded API key').waitFor();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByLabel('Filter by name').fill('');
    await page.getByRole('button', { name: 'Edit bad-roles' }).click();
    const shownRoles = JSON.parse(await page.getByLabel('Role descriptors (JSON)').inputValue());
    expect(shownRoles).toMatchObject({ r: { cluster: ['monitor'] } });
    expect(shownRoles.r).not.toHaveProperty('transient_metadata');
    await page.getByLabel('Metadata (JSON)').fill('{"team":"search"}');
    await page.getByRole('button', { name: 'Update' }).click();
    await expect.poll(() => page.locator('tr', { hasText: 'bad-roles' }).textContent()).toContain('{"team":"search"}');
  });

  it('creates a role and a user, then checks the user privileges through run-as', async () => {
    await page.getByRole('link', { name: 'Roles' }).click();
    await page.getByRole('button', { name: 'Create role' }).click();
    await page.getByLabel('Role name').fill('logs_reader');
    await page.getByRole('checkbox', { name: 'monitor', exact: true }).check();
    await page.getByLabel('Indices (row 1)').fill('logs-*');
    await page.getByLabel('Privileges (row 1)').fill('read, view_index_metadata');
    await page.getByRole('button', { name: 'Create role' }).last().click();
    await page.locator('tr[data-role="logs_reader"]').waitFor();
    expect(await page.locator('tr[data-role="superuser"]').textContent()).toContain('reserved');
    await shot('roles');

    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password', { exact: true }).fill('alice-Secret-42');
    await page.getByLabel('Roles', { exact: true }).fill('logs_reader');
    await page.getByLabel('Full name').fill('Alice Example');
    await page.getByRole('button', { name: 'Create user' }).last().click();
    await page.locator('tr[data-user="alice"]').waitFor();
    expect(await page.locator('tr[data-user="alice"]').textContent()).toContain('Alice Example');
    expect((await api('/_security/_authenticate', t.basic('alice', 'alice-Secret-42'))).status).toBe(200);
    await shot('users');

    await page.getByRole('link', { name: 'Privilege check' }).click();
    await page.getByLabel('As user (empty: yourself)').fill('alice');
    await page.getByLabel('Cluster privileges').fill('monitor, manage');
    await page.getByLabel('Indices', { exact: true }).fill('logs-2026');
    await page.getByLabel('Index privileges').fill('read, write');
    await page.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => page.getByTestId('has-all').textContent()).toBe('alice lacks some of the requested privileges.');
    const granted = await page.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent).join(' ')));
    expect(granted).toEqual(['cluster monitor yes', 'cluster manage no', 'logs-2026 read yes', 'logs-2026 write no']);
    await shot('privilege-check');
  });

  it('disables a user; the API refuses what it protects with its own reason', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.locator('tr[data-user="alice"]').getByRole('button', { name: 'Disable' }).click();
    await page.getByText('Disabled alice.').waitFor();
    expect((await api('/_security/_authenticate', t.basic('alice', 'alice-Secret-42'))).status).toBe(401);
    expect(await page.getByRole('button', { name: 'Delete elastic' }).isDisabled()).toBe(true);
  });

  it('is readable at 390 px wide', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('button', { name: 'Generate API key' }).waitFor();
    // Nothing but the table scrolls sideways.
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
    await shot('api-keys-390');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('signs out: the session token is invalidated and the sign-in form is back', async () => {
    expect(bearerTokens.size).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('Signed out.').waitFor();
    for (const token of bearerTokens) expect((await api('/_security/_authenticate', token)).status).toBe(401);
    // No CSP violation, script error or failed request along the way.
    expect(problems.filter((text) => !/status of 40[013]/.test(text))).toEqual([]);
  });
});

describe('web console sessions in a browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let page: Page;
  const grants: string[] = [];

  beforeAll(async () => {
    // Two-second tokens: the console refreshes at 80% of the lifetime.
    t = await buildTestApp({ settings: { authc: { token: { timeout: '2s' } } } });
    await t.app.inject({ method: 'PUT', url: '/_security/user/carol', headers: { authorization: t.basic() }, payload: { password: 'carol-Secret-1', roles: ['viewer'] } });
    base = await t.listen();
    browser = await launchBrowser({ origin: base });
    page = await browser.context.newPage();
    page.on('request', (request) => {
      if (request.url().endsWith('/_security/oauth2/token') && request.method() === 'POST') grants.push(String(JSON.parse(request.postData() ?? '{}').grant_type));
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in with the keyboard alone and refreshes the token before it expires', async () => {
    await page.goto(`${base}/_esgate/console/`);
    await page.getByLabel('Username').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.id')).toBe('username');
    await page.keyboard.press('Tab');
    await page.keyboard.type(t.password);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await expect.poll(() => grants, { timeout: 8000 }).toEqual(['password', 'refresh_token']);
    await page.getByRole('link', { name: 'Who am I' }).click();
    await expect.poll(() => page.getByTestId('whoami-username').textContent()).toBe('elastic');
  });

  it('invalidates tokens by user from the Tokens screen; its own session ends with them', async () => {
    await page.getByRole('link', { name: 'Tokens' }).click();
    await page.getByLabel('Every token of a user', { exact: true }).fill('elastic');
    await page.getByRole('button', { name: 'Invalidate' }).click();
    await page.getByText(/^Invalidated [1-9]\d* token\(s\)/).waitFor();
    await page.getByRole('link', { name: 'Who am I' }).click();
    await page.getByText('Your session ended. Sign in again.').waitFor();
  });

  it('lets a user without manage_token in with a password session and shows a 403 as Elasticsearch words it', async () => {
    await page.getByLabel('Username').fill('carol');
    await page.getByLabel('Password').fill('carol-Secret-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('password session').waitFor();
    await page.getByRole('link', { name: 'API keys' }).click();
    const alert = page.getByRole('alert').filter({ hasText: '403 security_exception' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/action \[cluster:admin\/xpack\/security\/api_key\/query\] is unauthorized for user \[carol\]/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });
});
