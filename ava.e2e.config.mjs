// Browser tests over the whole stack, one file at a time (they start servers and a browser).
export default {
  files: ['miniapp/e2e/**/*.e2e.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  concurrency: 1,
  serial: true,
  timeout: '5m',
};
