import test from 'ava';
import { parseCron } from '../cron.js';

const at = (s: string) => new Date(s);

test('the every-minute trigger fires at second 0 of every minute', (t) => {
  const cron = parseCron('0 */1 * * * * *');
  t.deepEqual(cron.next(at('2026-11-22T05:33:20')), at('2026-11-22T05:34:00'));
  t.deepEqual(cron.next(at('2026-11-22T05:34:00')), at('2026-11-22T05:35:00'));
  t.deepEqual(cron.next(at('2026-12-31T23:59:59.500')), at('2027-01-01T00:00:00'));
  t.true(cron.matches(at('2026-11-22T05:34:00')));
  t.false(cron.matches(at('2026-11-22T05:34:01')));
});

test('steps, ranges, lists and weekdays follow the host cron', (t) => {
  t.deepEqual(parseCron('*/15 * * * * * *').next(at('2026-11-22T05:33:20')), at('2026-11-22T05:33:30'));
  t.deepEqual(parseCron('0 0 2 * * * *').next(at('2026-11-22T05:33:20')), at('2026-11-23T02:00:00'));
  t.deepEqual(parseCron('0 30 9-10 * * 1-5 *').next(at('2026-11-21T12:00:00')), at('2026-11-23T09:30:00'), 'Saturday → Monday');
  t.deepEqual(parseCron('0 0 8,20 * * * *').next(at('2026-11-22T09:00:00')), at('2026-11-22T20:00:00'));
});

test('a malformed trigger is refused with the bad field named', (t) => {
  t.throws(() => parseCron('0 */1 * * * *'), { message: /7 fields/ });
  t.throws(() => parseCron('0 61 * * * * *'), { message: /minute/ });
  t.throws(() => parseCron('x * * * * * *'), { message: /second/ });
  t.throws(() => parseCron('0 0 0 31 2 * 2026').next(at('2026-01-01T00:00:00')), { message: /never fires/ });
});
