import type { HostModule } from '../host.js';
import { inboxModule } from './inbox.js';
import { tokenModule } from './token.js';
import { loginModule } from './login.js';
import { phoneModule } from './phone.js';
import { smsModule } from './sms.js';
import { subscribeModule } from './subscribe.js';
import { payModule } from './pay.js';
import { wxacodeModule } from './wxacode.js';

/** Every area of the emulated host, in mount order. Add one line when a module is added. */
export const hostModules: HostModule[] = [inboxModule, tokenModule, loginModule, phoneModule, smsModule, subscribeModule, payModule, wxacodeModule];
