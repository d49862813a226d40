// Creates each service's database and login role, then applies its migrations.
//   node scripts/db.js migrate [user|event|session|speaker|notifier ...]   (npm run db:migrate)
//   node scripts/db.js status  [...]                              (what is applied)
// PG_ADMIN_URL: a role that may create databases and roles (default postgres@127.0.0.1:5432).
// <SERVICE>_DB_PASSWORD: the service role's password (development defaults otherwise).
// Safe to run again and from several processes at once (migrations take an advisory lock).
import { sql } from 'slonik';
import { createDatabasePool, provisionServiceDatabase, runMigrations, serviceDatabaseUrl } from '@conference/adapters-postgres';

const services = {
  user: async () => (await import('@conference/user-service')).userMigrationSets(),
  event: async () => (await import('@conference/event-service')).eventMigrationSets(),
  session: async () => (await import('@conference/session-service')).sessionMigrationSets(),
  speaker: async () => (await import('@conference/speaker-service')).speakerMigrationSets(),
  notifier: async () => (await import('@conference/notifier')).notifierMigrationSets(),
};

export const serviceDatabase = (service) => ({
  database: `${service}_db`,
  role: `${service}_service`,
  password: process.env[`${service.toUpperCase()}_DB_PASSWORD`] ?? `${service}_service_dev`,
});

const [command = 'migrate', ...names] = process.argv.slice(2);
const chosen = names.length > 0 ? names : Object.keys(services);
const unknown = chosen.filter((name) => !(name in services));
if (!['migrate', 'status'].includes(command) || unknown.length > 0) {
  console.error(`usage: node scripts/db.js migrate|status [${Object.keys(services).join('|')} ...]${unknown.length ? `\nunknown service: ${unknown.join(', ')}` : ''}`);
  process.exit(2);
}

const adminUrl = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const admin = await createDatabasePool(adminUrl, { maxPoolSize: 1, applicationName: 'conference-db-script' });
let failed = false;
try {
  for (const service of chosen) {
    const target = serviceDatabase(service);
    const url = serviceDatabaseUrl(adminUrl, target);
    try {
      if (command === 'migrate') await provisionServiceDatabase(admin, target);
      const pool = await createDatabasePool(url, { maxPoolSize: 1, applicationName: 'conference-db-script' });
      try {
        if (command === 'migrate') {
          const report = await runMigrations(pool, await services[service]());
          console.log(`${service}: ${target.database} as ${target.role}: applied ${report.applied.length ? report.applied.join(', ') : 'nothing'} (${report.alreadyApplied} already applied)`);
        } else {
          const rows = await pool.any(sql.unsafe`SELECT set_name, version, name, applied_at FROM schema_migrations ORDER BY set_name, version`);
          console.log(`${service}: ${target.database}`);
          for (const row of rows) console.log(`  ${row.set_name}/${row.version} ${row.name} ${row.applied_at.toISOString()}`);
        }
      } finally {
        await pool.end();
      }
    } catch (error) {
      failed = true;
      console.error(`${service}: ${error.message}`);
    }
  }
} finally {
  await admin.end();
}
process.exit(failed ? 1 : 0);
