#!/usr/bin/env node
/**
 * The "minimal Koa + pg" baseline of bench/run.mjs: one process, one route, GET /bench/koa/events/:id
 * reads the same event row the event service serves (SELECT by primary key, pg Pool of 10 like the
 * services' DB_POOL_SIZE default) and answers it as JSON. No router, no validation, no logging.
 *
 *   DATABASE_URL=postgres://... PORT=3999 node bench/baseline-koa.mjs
 */
import Koa from 'koa';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10) });
const app = new Koa();
const PATH = /^\/bench\/koa\/events\/([0-9a-f-]{36})$/;

app.use(async (ctx) => {
  if (ctx.path === '/health') {
    ctx.body = { status: 'ok' };
    return;
  }
  const match = PATH.exec(ctx.path);
  if (!match) {
    ctx.status = 404;
    return;
  }
  const { rows } = await pool.query('SELECT * FROM events WHERE id = $1', [match[1]]);
  if (rows.length === 0) {
    ctx.status = 404;
    return;
  }
  ctx.body = rows[0];
});

const server = app.listen(Number(process.env.PORT ?? 3999), '127.0.0.1', () => process.send?.('listening'));
const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
