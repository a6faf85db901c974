import http from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { OffsetClock, systemClock } from './common/clock.js';
import { connectDb } from './common/db.js';
import { createLogger } from './common/logger.js';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const logger = createLogger(config.LOG_LEVEL);
const clock = config.ALLOW_TEST_CLOCK ? new OffsetClock() : systemClock;
const conn = await connectDb(config.MONGO_URL, config.DB_NAME);
const { app } = await createApp(config, { conn, clock, logger });

let draining = false;
const server = http.createServer((req, res) => {
  if (draining) res.setHeader('Connection', 'close');
  app.callback()(req, res);
});
server.keepAliveTimeout = 5000;
server.listen(config.PORT, config.HOST, () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  logger.info({ port }, 'listening');
  console.log(`BFF http://${config.HOST}:${port}`);
});

/** SIGTERM: stop accepting, let in-flight requests finish (up to the grace period), then close. */
async function shutdown(signal: string) {
  if (draining) return;
  draining = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    logger.warn('grace period over, closing remaining connections');
    server.closeAllConnections();
  }, config.SHUTDOWN_GRACE_MS);
  force.unref();
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  clearInterval(idle);
  await conn.close().catch(() => {});
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
