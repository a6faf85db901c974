#!/usr/bin/env node
// Draws the tab bar icons (81×81 PNG, grey and brand orange) with Chromium's canvas, so the weapp
// tabBar (PNG only) and h5 share them. Run once when the icons change: node miniapp/scripts/make-tab-icons.mjs
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
/* global document */

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'assets', 'tab');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
const icons = await page.evaluate(() => {
  const draw = {
    home(c) {
      c.beginPath();
      c.moveTo(12, 38); c.lineTo(40.5, 13); c.lineTo(69, 38);
      c.moveTo(20, 32); c.lineTo(20, 68); c.lineTo(61, 68); c.lineTo(61, 32);
      c.moveTo(34, 68); c.lineTo(34, 50); c.lineTo(47, 50); c.lineTo(47, 68);
      c.stroke();
    },
    orders(c) {
      c.beginPath();
      c.roundRect(18, 14, 45, 55, 6);
      c.moveTo(28, 32); c.lineTo(53, 32);
      c.moveTo(28, 44); c.lineTo(53, 44);
      c.moveTo(28, 56); c.lineTo(43, 56);
      c.stroke();
    },
    cart(c) {
      c.beginPath();
      c.moveTo(10, 18); c.lineTo(20, 18); c.lineTo(28, 54); c.lineTo(62, 54); c.lineTo(69, 28); c.lineTo(23, 28);
      c.stroke();
      c.beginPath();
      c.arc(32, 65, 4.5, 0, Math.PI * 2);
      c.moveTo(62.5, 65); c.arc(58, 65, 4.5, 0, Math.PI * 2);
      c.stroke();
    },
    member(c) {
      c.beginPath();
      c.arc(40.5, 28, 12, 0, Math.PI * 2);
      c.moveTo(16, 68); c.bezierCurveTo(18, 46, 63, 46, 65, 68);
      c.stroke();
    },
  };
  const result = {};
  for (const [name, fn] of Object.entries(draw)) {
    for (const [suffix, color] of [['', '#8c8c8c'], ['-active', '#ff5a1f']]) {
      const canvas = document.createElement('canvas');
      canvas.width = 81;
      canvas.height = 81;
      const c = canvas.getContext('2d');
      c.strokeStyle = color;
      c.lineWidth = 6;
      c.lineCap = 'round';
      c.lineJoin = 'round';
      fn(c);
      result[`${name}${suffix}`] = canvas.toDataURL('image/png').split(',')[1];
    }
  }
  return result;
});
for (const [name, b64] of Object.entries(icons)) writeFileSync(path.join(out, `${name}.png`), Buffer.from(b64, 'base64'));
await browser.close();
console.log(`wrote ${Object.keys(icons).length} icons to ${path.relative(process.cwd(), out)}`);
