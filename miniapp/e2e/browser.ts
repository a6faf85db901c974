// Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from './stack.js';

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
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  // Let Taro's page slide-in (300 ms) and any toast finish first.
  await page.waitForTimeout(700);
  await page.screenshot({ path: path.join(SHOTS_DIR, `${name}.png`) });
}
