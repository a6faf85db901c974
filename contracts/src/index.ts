// The HTTP API's schemas and types, shared by the BFF (validation) and the miniapp (types only).
// One file per domain; add an export line here when a domain adds a file.
export * from './common.js';
export * from './store.js';
