import http from 'node:http';
import { createMockHost } from './app.js';
import { loadMockConfig } from './config.js';

let config;
try {
  config = loadMockConfig();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
const { app } = createMockHost(config);
const server = http.createServer(app.callback());
server.listen(config.MOCK_PORT, config.MOCK_HOST, () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.MOCK_PORT;
  console.log(`Mock host http://${config.MOCK_HOST}:${port}`);
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
