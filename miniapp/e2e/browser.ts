// Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestFn } from 'ava';
import { repoRoot, startStack, type Stack } from './stack.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS_DIR = path.join(repoRoot, 'artifacts', 'screenshots');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Store S001 (黄浦南京东路店) stands at its district centre: the nearest store from here. */
export const NEAR_S001 = { latitude: 31.2317, longitude: 121.4846 };

/** A fresh phone-sized browser context (own storage = own user). */
export function phone(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    geolocation: NEAR_S001,
    permissions: ['geolocation', 'clipboard-read', 'clipboard-write'],
  });
}

/** Saves a screenshot of the page as artifacts/screenshots/<name>.png. */
export async function shot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  // Let Taro's page slide-in (300 ms) and any toast finish first.
  await page.waitForTimeout(700);
  const size = page.viewportSize();
  // Taro's h5 pages scroll inside their own container: a tall page is shot through a tall viewport.
  if (opts.fullPage && size) {
    await page.setViewportSize({ width: size.width, height: 1600 });
    await page.waitForTimeout(300);
  }
  await page.screenshot({ path: path.join(SHOTS_DIR, `${name}.png`) });
  if (opts.fullPage && size) await page.setViewportSize(size);
}

/** How long a browser step waits for the app. */
export const T = 20_000;

/** The visible element with this data-testid (Taro keeps pages of the stack in the DOM, hidden). */
export const byId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]:visible`);

/** Types into a Taro Input (a web component that renders its own <input> once upgraded). */
export async function typeInto(page: Page, testid: string, value: string): Promise<void> {
  const inner = byId(page, testid).locator('input');
  await inner.waitFor({ timeout: T });
  await inner.fill(value);
}

/**
 * Waits until `path` is the one page on screen. The URL changes when a navigation starts; a link
 * opened before the router has finished (login's switch to home) can leave the old page shown over
 * the new one, so a test that goes on must wait for this instead.
 */
export async function shownPage(page: Page, path: string): Promise<void> {
  const bare = path.split('?')[0];
  await page.waitForFunction(
    (p) => {
      const shown = [...document.querySelectorAll('.taro_page')].filter((e) => getComputedStyle(e).display !== 'none');
      return shown.length === 1 && (shown[0].id === p || shown[0].id.startsWith(`${p}?`));
    },
    bare,
    { timeout: T },
  );
}

/** On the mock wallet page: pays and waits to be sent back to the app. */
export async function payInWallet(page: Page, shotName?: string): Promise<void> {
  await page.waitForURL(/\/dev\/wallet/, { timeout: T });
  await page.locator('#pay').waitFor({ timeout: T });
  if (shotName) await shot(page, shotName);
  await page.locator('#pay').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/dev/'), { timeout: T });
}

/**
 * One browser test file: its own stack (database, mock host, BFF, h5 build) and Chromium, started
 * before its tests and stopped after them. When a test fails, every open page is saved as
 * artifacts/screenshots/failed-<name>-<test>-<n>.png and its URL logged.
 */
export class E2ESuite {
  private startedStack: Stack | undefined;
  private startedBrowser: Browser | undefined;

  constructor(test: TestFn, private readonly name: string) {
    test.before(async () => {
      this.startedStack = await startStack();
      this.startedBrowser = await launchChromium();
    });
    test.afterEach.always(async (t) => {
      if (t.passed || !this.startedBrowser) return;
      let n = 0;
      for (const ctx of this.startedBrowser.contexts()) {
        for (const page of ctx.pages()) {
          await shot(page, `failed-${this.name}-${t.title.replace(/^afterEach.always hook for /, '').slice(0, 24).replace(/\W+/g, '_')}-${++n}`).catch(() => {});
          t.log(`page ${n}: ${page.url()}`);
        }
      }
    });
    test.after.always(async () => {
      await this.startedBrowser?.close().catch(() => {});
      await this.startedStack?.stop();
    });
  }

  get stack(): Stack {
    if (!this.startedStack) throw new Error('the e2e stack is not started (use it inside a test)');
    return this.startedStack;
  }

  get browser(): Browser {
    if (!this.startedBrowser) throw new Error('Chromium is not started (use it inside a test)');
    return this.startedBrowser;
  }

  /** The h5 app's URL of a page path (hash routing). */
  h5(hashPath: string): string {
    return `${this.stack.h5Url}/#${hashPath}`;
  }

  /** A GET of the BFF's API, as anyone (no login). */
  async api<R>(pathname: string): Promise<R> {
    const res = await fetch(`${this.stack.bffUrl}/api/v1${pathname}`);
    return (await res.json()) as R;
  }

  /** Logs any host identity in through the API, as the app does: a host login code, then POST /auth/login. */
  async apiLogin(openid: string): Promise<{ accessToken: string; refreshToken: string; user: unknown }> {
    const post = async <R>(url: string, body: unknown): Promise<R> => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
      return (await res.json()) as R;
    };
    const { code } = await post<{ code: string }>(`${this.stack.mockUrl}/dev/login-code`, { openid });
    return post(`${this.stack.bffUrl}/api/v1/auth/login`, { code });
  }

  /** The `Authorization` header value of a logged-in identity. */
  async bearer(openid: string): Promise<string> {
    return `Bearer ${(await this.apiLogin(openid)).accessToken}`;
  }

  /** A deal's title, as the app shows it. */
  async dealTitle(dealId: string): Promise<string> {
    return (await this.api<{ deal: { title: string } }>(`/deals/${dealId}`)).deal.title;
  }

  /** Logs a demo identity in on the dev login page of a phone and lands on `from`. */
  async loginIn(ctx: BrowserContext, openid: string, from = '/pages/home/index'): Promise<Page> {
    const page = await ctx.newPage();
    await page.goto(this.h5(`/pages/login/index?redirect=${encodeURIComponent(from)}`));
    await byId(page, `login-${openid}`).click();
    await page.waitForURL((u) => !u.hash.includes('pages/login'), { timeout: T });
    await shownPage(page, from);
    return page;
  }

  /** The same on a new phone (own storage: own user). */
  async loginAs(openid: string, from?: string): Promise<Page> {
    return this.loginIn(await phone(this.browser), openid, from);
  }
}
