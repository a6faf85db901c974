import test from 'ava';
import { CONSENT_ASKS } from '@linli/contracts';
import { CONSENT_TEMPLATES } from '../src/services/consent-templates.js';

test('the templates the miniapp asks consent for are the ones the BFF sends', (t) => {
  t.deepEqual(CONSENT_TEMPLATES.group, [...CONSENT_ASKS.group]);
  t.deepEqual(CONSENT_TEMPLATES.order, [...CONSENT_ASKS.order]);
});
