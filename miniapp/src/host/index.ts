import type { Host } from './types';

// One file per target; the build drops the other branch (TARO_ENV is a build-time constant).
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const host: Host = process.env.TARO_ENV === 'weapp' ? require('./weapp').weappHost : require('./h5').h5Host;
export type { Host, MapPlace, PaymentParams, PayOutcome } from './types';
