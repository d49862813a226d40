import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEFAULTS, ROUTES, SERVICES, renderNginxConfig, type RenderInput } from '../nginx/render.mjs';
import { nginxAvailable } from './nginx-support.js';
import { renderScript } from './paths.js';

const input = (overrides: Partial<RenderInput> = {}): RenderInput => ({
  listen: 18080,
  upstreams: { user: ['127.0.0.1:3101', '127.0.0.1:3102'], event: ['127.0.0.1:3201'], session: ['localhost:3301'], speaker: [], notifier: ['unix:/tmp/notifier.sock'] },
  ...overrides,
});

describe('docker/nginx/render.mjs', () => {
  it('routes every prefix of DESIGN §1 to its service, with retries bounded and never for non-idempotent requests', () => {
    const conf = renderNginxConfig(input());
    expect(SERVICES).to.deep.equal(['user', 'event', 'session', 'speaker', 'notifier']);
    for (const { route, service } of ROUTES) {
      expect(conf).to.contain(`location ~ ^${route}(?:/|$) {\n      set $conference_service ${service};`);
    }
    expect(conf).to.contain('proxy_next_upstream error timeout http_502 http_503 http_504;');
    expect(conf).not.to.match(/^\s*proxy_next_upstream [^\n#]*non_idempotent/m);
    expect(conf).to.contain(`proxy_next_upstream_tries ${DEFAULTS.nextUpstreamTries};`);
    expect(conf).to.contain('server 127.0.0.1:3101 max_fails=2 fail_timeout=10s;');
    expect(conf).to.contain('server unix:/tmp/notifier.sock max_fails=2 fail_timeout=10s;');
    expect(conf).to.contain('keepalive 16;');
    expect(conf).to.contain('client_max_body_size 64k;');
    expect(conf).to.contain('limit_req zone=conference_auth burst=20 nodelay;');
    expect(conf).not.to.match(/\{\{\w+\}\}/);
    expect(conf).not.to.contain(' resolve;');
  });

  it('answers a service without instances with its 503 problem, without an upstream block', () => {
    const conf = renderNginxConfig(input());
    expect(conf).not.to.contain('upstream speaker_service');
    expect(conf).to.match(/location ~ \^\/api\/speakers\(\?:\/\|\$\) \{[^}]*return 503;/);
    expect(conf).to.contain('"detail":"The speaker service has no instance available; retry later"');
  });

  it('re-resolves instance names only when a resolver is given', () => {
    const conf = renderNginxConfig(input({ resolver: '127.0.0.11 valid=5s ipv6=off' }));
    expect(conf).to.contain('resolver 127.0.0.11 valid=5s ipv6=off;');
    expect(conf).to.contain('server localhost:3301 max_fails=2 fail_timeout=10s resolve;');
    expect(conf).to.contain('server unix:/tmp/notifier.sock max_fails=2 fail_timeout=10s;');
  });

  it('refuses input that is incomplete, unknown or would inject nginx directives', () => {
    const { speaker: _speaker, ...withoutSpeaker } = input().upstreams;
    expect(() => renderNginxConfig(input({ upstreams: withoutSpeaker }))).to.throw(/no instance list for: speaker/);
    expect(() => renderNginxConfig(input({ upstreams: { ...input().upstreams, billing: [] } }))).to.throw(/unknown service\(s\): billing/);
    expect(() => renderNginxConfig(input({ upstreams: { ...input().upstreams, user: ['127.0.0.1:3101; include /etc/passwd'] } }))).to.throw(/not host:port/);
    expect(() => renderNginxConfig(input({ upstreams: { ...input().upstreams, user: ['127.0.0.1:70000'] } }))).to.throw(/not a port/);
    expect(() => renderNginxConfig(input({ listen: '80; daemon on' }))).to.throw(/listen/);
    expect(() => renderNginxConfig({ ...input(), colour: 'blue' } as RenderInput)).to.throw(/unknown input field\(s\): colour/);
    expect(() => renderNginxConfig(input({ authRate: '10r/s; evil' }))).to.throw(/authRate/);
  });

  it('works as a program: JSON on stdin, --listen and --service, --prefix creating logs/ and tmp/', () => {
    const prefix = mkdtempSync(join(tmpdir(), 'conference-render-'));
    try {
      const { upstreams } = input();
      const result = spawnSync(process.execPath, [renderScript, '--prefix', prefix, '--listen', '18081', '--service', 'speaker=127.0.0.1:3401,127.0.0.1:3402'], {
        input: JSON.stringify({ upstreams }),
        encoding: 'utf8',
      });
      expect(result.status, result.stderr).to.equal(0);
      const written = spawnSync('cat', [join(prefix, 'nginx.conf')], { encoding: 'utf8' }).stdout;
      expect(written).to.equal(renderNginxConfig({ listen: 18081, upstreams: { ...upstreams, speaker: ['127.0.0.1:3401', '127.0.0.1:3402'] } }));
      expect(spawnSync('test', ['-d', join(prefix, 'logs')]).status).to.equal(0);
      expect(spawnSync('test', ['-d', join(prefix, 'tmp')]).status).to.equal(0);
      const bad = spawnSync(process.execPath, [renderScript, '--listen', '18081'], { input: '{}', encoding: 'utf8' });
      expect(bad.status).to.equal(2);
      expect(bad.stderr).to.contain('no instance list for');
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  });

  it('renders a configuration that `nginx -t` accepts (non-root layout under a prefix)', function () {
    if (!nginxAvailable(this)) return;
    const prefix = mkdtempSync(join(tmpdir(), 'conference-nginx-t-'));
    try {
      const rendered = spawnSync(process.execPath, [renderScript, '--prefix', prefix], { input: JSON.stringify(input()), encoding: 'utf8' });
      expect(rendered.status, rendered.stderr).to.equal(0);
      const check = spawnSync('nginx', ['-t', '-e', 'stderr', '-p', prefix, '-c', join(prefix, 'nginx.conf')], { encoding: 'utf8' });
      expect(check.status, check.stderr).to.equal(0);
      expect(check.stderr).to.contain('syntax is ok');
      // And a broken one is refused: the check is real.
      writeFileSync(join(prefix, 'broken.conf'), renderNginxConfig(input()).replace('keepalive 16;', 'keepalive sixteen;'));
      expect(spawnSync('nginx', ['-t', '-e', 'stderr', '-p', prefix, '-c', join(prefix, 'broken.conf')]).status).to.not.equal(0);
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  });
});
