import test from 'ava';
import { countdown, nextTickMs } from '../src/utils/countdown.js';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');

test('a group expiring in 1 h 2 min 3 s shows 01:02:03', (t) => {
  const c = countdown(new Date(T0 + 3_723_000).toISOString(), T0);
  t.is(c.text, '01:02:03');
  t.deepEqual([c.hours, c.minutes, c.seconds, c.expired], [1, 2, 3, false]);
});

test('partial seconds round up so 00:00:00 appears only once expired', (t) => {
  t.is(countdown(T0 + 1, T0).text, '00:00:01');
  t.false(countdown(T0 + 1, T0).expired);
  t.is(countdown(T0 + 999, T0).text, '00:00:01');
  t.is(countdown(T0, T0).text, '00:00:00');
  t.true(countdown(T0, T0).expired);
});

test('a past target is expired with zero remaining, never negative', (t) => {
  const c = countdown(T0 - 60_000, T0);
  t.true(c.expired);
  t.is(c.remainingMs, 0);
  t.is(c.text, '00:00:00');
});

test('beyond a day the days are shown in front', (t) => {
  t.is(countdown(T0 + 2 * 86_400_000 + 5_000, T0).text, '2天 00:00:05');
});

test('server skew is applied: a device clock 30 s slow still shows the server-side remaining time', (t) => {
  // device says T0, server says T0 + 30 s: 60 s target shows 30 s left
  t.is(countdown(T0 + 60_000, T0, 30_000).text, '00:00:30');
  t.true(countdown(T0 + 60_000, T0, 61_000).expired);
});

test('an unparseable target counts as expired rather than showing NaN', (t) => {
  const c = countdown('not a date', T0);
  t.true(c.expired);
  t.is(c.text, '00:00:00');
});

test('the next tick lands when the shown second changes, and stops when expired', (t) => {
  t.is(nextTickMs(T0 + 2_500, T0), 500);
  t.is(nextTickMs(T0 + 2_000, T0), 1000);
  t.is(nextTickMs(T0 - 1, T0), Infinity);
});
