// Unit and API tests of every workspace. Each test file uses its own database name, so files run in
// parallel against the one private database that `npm test` starts.
export default {
  files: [
    'contracts/test/**/*.test.ts',
    'bff/test/**/*.test.ts',
    'mock/test/**/*.test.ts',
    'cloud-functions/test/**/*.test.ts',
    'miniapp/test/**/*.test.ts',
    'scripts/test/**/*.test.ts',
  ],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  concurrency: 2,
  timeout: '3m',
};
