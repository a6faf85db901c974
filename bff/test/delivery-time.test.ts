// Store business time for delivery (hours, slots, "today") is the store's own wall clock, in its own
// zone: Asia/Shanghai by default, any IANA zone when the store names one, whatever the server's zone.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import test from 'ava';
import { storeDay, storeInstant } from '../src/common/time.js';
import { DEFAULT_DELIVERY } from '../src/modules/delivery/delivery.config.js';
import { deliverySlots, etaMinutes, insideDeliveryHours } from '../src/modules/delivery/delivery.time.js';

const bffDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (iso: string) => new Date(iso);
const shanghai = { ...DEFAULT_DELIVERY };
const newYork = { ...DEFAULT_DELIVERY, timeZone: 'America/New_York' };

test('a Shanghai store delivers 08:00–22:00 China time: 23:59 UTC is 07:59 there (closed), 00:00 UTC is 08:00 (open)', (t) => {
  t.false(insideDeliveryHours(at('2026-12-02T23:59:00Z'), shanghai));
  t.true(insideDeliveryHours(at('2026-12-03T00:00:00Z'), shanghai));
  t.true(insideDeliveryHours(at('2026-12-03T13:59:59Z'), shanghai));
  t.false(insideDeliveryHours(at('2026-12-03T14:00:00Z'), shanghai), '22:00 is closing time');
  t.is(storeDay(at('2026-12-02T16:00:00Z')), '2026-12-03', "16:00 UTC is already tomorrow in Shanghai");
});

test('slots start after the packing time and run to closing, today and tomorrow, labelled on the store clock', (t) => {
  // 13:10 in Shanghai: 13:40 is the earliest start, so the first slot is 14:00–15:00.
  const slots = deliverySlots(at('2026-12-03T05:10:00Z'), shanghai);
  t.deepEqual(slots[0], { start: '2026-12-03T06:00:00.000Z', end: '2026-12-03T07:00:00.000Z', label: '今天 14:00-15:00' });
  t.is(slots.filter((s) => s.label.startsWith('今天')).length, 8);
  t.is(slots.filter((s) => s.label.startsWith('明天')).length, 14);
  t.is(slots.at(-1)!.label, '明天 21:00-22:00');
  t.true(slots.every((s) => Date.parse(s.end) - Date.parse(s.start) === 3_600_000));
});

test('a store in New York gets its own hours across the DST change (UTC−4 → UTC−5 on 2026-11-01)', (t) => {
  t.is(storeInstant('2026-10-31', '08:00', 'America/New_York').toISOString(), '2026-10-31T12:00:00.000Z');
  t.is(storeInstant('2026-11-01', '08:00', 'America/New_York').toISOString(), '2026-11-01T13:00:00.000Z');
  t.is(storeInstant('2026-11-01', '24:00', 'America/New_York').toISOString(), '2026-11-02T05:00:00.000Z');
  // 23:00 New York on Oct 31 (03:00 UTC Nov 1): closed; the next slots are Nov 1 08:00 EST onwards.
  const now = at('2026-11-01T03:00:00Z');
  t.false(insideDeliveryHours(now, newYork));
  t.is(storeDay(now, 'America/New_York'), '2026-10-31');
  const slots = deliverySlots(now, newYork);
  t.deepEqual(slots[0], { start: '2026-11-01T13:00:00.000Z', end: '2026-11-01T14:00:00.000Z', label: '明天 08:00-09:00' });
  t.is(slots.length, 14, 'only tomorrow is left');
  // The same instant is open for a Shanghai store (11:00 there).
  t.true(insideDeliveryHours(now, shanghai));
});

test('the ETA is packing time plus the ride at 15 km/h, rounded up to 5 minutes', (t) => {
  t.is(etaMinutes(0, shanghai), 30);
  t.is(etaMinutes(1100, shanghai), 35);
  t.is(etaMinutes(3000, shanghai), 45);
});

const child = `
import { deliverySlots, insideDeliveryHours } from ${JSON.stringify(pathToFileURL(path.join(bffDir, 'src/modules/delivery/delivery.time.ts')).href)};
import { DEFAULT_DELIVERY } from ${JSON.stringify(pathToFileURL(path.join(bffDir, 'src/modules/delivery/delivery.config.ts')).href)};
const ny = { ...DEFAULT_DELIVERY, timeZone: 'America/New_York' };
console.log(JSON.stringify({
  sh: deliverySlots(new Date('2026-12-03T05:10:00Z'), DEFAULT_DELIVERY)[0],
  ny: deliverySlots(new Date('2026-11-01T03:00:00Z'), ny)[0],
  open: insideDeliveryHours(new Date('2026-12-03T00:00:00Z'), DEFAULT_DELIVERY),
}));
`;

for (const tz of ['UTC', 'America/Los_Angeles', 'Europe/London', 'Asia/Kolkata']) {
  test(`the same slots when the server runs in ${tz}`, async (t) => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import=tsx', '--input-type=module', '--eval', child], { cwd: bffDir, env: { ...process.env, TZ: tz } });
    const r = JSON.parse(stdout);
    t.is(r.sh.start, '2026-12-03T06:00:00.000Z');
    t.is(r.ny.start, '2026-11-01T13:00:00.000Z');
    t.is(r.ny.label, '明天 08:00-09:00');
    t.true(r.open);
  });
}
