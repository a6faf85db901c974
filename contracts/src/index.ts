// The HTTP API's schemas and types, shared by the BFF (validation) and the miniapp (types only).
// One file per domain; add an export line here when a domain adds a file.
export * from './common.js';
export * from './store.js';
export * from './catalog.js';
export * from './home.js';
export * from './voucher.js';
export * from './clerk.js';
export * from './groupbuy.js';
export * from './share.js';
export * from './identity.js';
export * from './member.js';
export * from './messages.js';
export * from './order.js';
export * from './payment.js';
export * from './aftersale.js';
// sharing (issue 13): the deal page
export * from './deal-page.js';
export * from './checkout.js';
export * from './promotions.js';
export * from './backoffice.js';
// delivery (issue 16)
export * from './delivery.js';
