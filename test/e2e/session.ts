import { expect, type Page, type APIRequestContext } from '@playwright/test';

/** Signing in for the browser specs: a token for the API, or the login form in the page. Demo users share one password. */
export const PASSWORD = 'onelock-demo';

export async function token(request: APIRequestContext, username: string) {
  const r = await request.post('/api/v1/auth/login', { data: { username, password: PASSWORD } });
  expect(r.ok()).toBeTruthy();
  return (await r.json()).token as string;
}

export const auth = (t: string) => ({ authorization: `Bearer ${t}` });

export async function login(page: Page, username: string) {
  await page.goto('/');
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('button[type=submit]').click();
  // the first page of the role's navigation is showing once login has finished
  await expect(page.locator('header nav a.on')).toBeVisible();
}
