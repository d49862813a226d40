import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as core from 'kubernetes-models/v1';
import { parseAllDocuments, parse } from 'yaml';
import { renderNginxConfig, type RenderInput } from '../nginx/render.mjs';
import { DEFAULT_REPLICAS, k8sDir } from './paths.js';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
  file: string;
}
interface Probe { httpGet?: { path: string; port: string | number } }
interface Container { name: string; image: string; readinessProbe?: Probe; livenessProbe?: Probe; resources?: { requests?: object; limits?: object }; ports?: { name: string; containerPort: number }[]; env?: { name: string; value?: string }[] }

type ModelClass = new (data: object) => { validate(): void };
// The API groups the manifests use; a kind outside them fails the test instead of going unchecked.
const GROUPS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  v1: core,
  'apps/v1': apps,
  'autoscaling/v2': autoscaling,
};

const files = readdirSync(k8sDir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort();
const manifests: Manifest[] = files.flatMap((file) =>
  parseAllDocuments(readFileSync(join(k8sDir, file), 'utf8')).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return { ...(doc.toJS() as Omit<Manifest, 'file'>), file };
  }),
);
const kustomization = parse(readFileSync(join(k8sDir, 'kustomization.yaml'), 'utf8')) as {
  resources: string[];
  configMapGenerator: { name: string; files: string[] }[];
};

const find = (kind: string, name: string): Manifest => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const containersOf = (deployment: Manifest): Container[] =>
  (deployment.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers;

function modelFor(apiVersion: string, kind: string): ModelClass {
  const model = GROUPS[apiVersion]?.[kind];
  if (typeof model !== 'function') throw new Error(`no model for ${apiVersion} ${kind}`);
  return model as ModelClass;
}

describe('docker/k8s manifests', () => {
  it('parse, and every object is valid against its Kubernetes schema (kubernetes-models)', () => {
    expect(manifests.length).to.be.greaterThan(20);
    for (const manifest of manifests) {
      const { file: _file, ...object } = manifest;
      const Model = modelFor(object.apiVersion, object.kind);
      expect(() => new Model(object).validate(), `${manifest.file}: ${object.kind} ${object.metadata.name}`).not.to.throw();
    }
  });

  it('the schema validation is not vacuous: a wrong type is refused', () => {
    const deployment = structuredClone(find('Deployment', 'user-service'));
    (deployment.spec as Record<string, unknown>).replicas = 'three';
    const { file: _file, ...object } = deployment;
    expect(() => new apps.Deployment(object as never).validate()).to.throw(/replicas/);
  });

  it('lists every manifest file in the kustomization, and everything lives in the conference namespace', () => {
    expect([...kustomization.resources].sort()).to.deep.equal(files);
    for (const m of manifests.filter((m) => m.kind !== 'Namespace')) expect(m.metadata.namespace, `${m.kind} ${m.metadata.name}`).to.equal('conference');
  });

  it('has a Deployment per host at its default count, with readiness on /ready, liveness on /health and resources', () => {
    for (const [host, replicas] of Object.entries(DEFAULT_REPLICAS)) {
      const deployment = find('Deployment', host);
      expect(deployment.spec!.replicas, host).to.equal(replicas);
      const [container] = containersOf(deployment);
      expect(container!.readinessProbe?.httpGet?.path, host).to.equal('/ready');
      expect(container!.livenessProbe?.httpGet?.path, host).to.equal('/health');
      expect(container!.resources?.requests, host).to.include.keys('cpu', 'memory');
      expect(container!.resources?.limits, host).to.include.keys('memory');
      expect(container!.env?.find((e) => e.name === 'CONFERENCE_HOST')?.value, host).to.equal(host);
    }
  });

  it('has an HTTP Service, a headless Service and an autoscaling/v2 HPA (min = default count) per host; gRPC ports where a gRPC server runs', () => {
    for (const [host, replicas] of Object.entries(DEFAULT_REPLICAS)) {
      const service = find('Service', host).spec as { ports: { name: string }[]; clusterIP?: string };
      const headless = find('Service', `${host}-pods`).spec as { ports: { name: string }[]; clusterIP?: string };
      expect(headless.clusterIP, host).to.equal('None');
      const expected = ['session-service', 'speaker-service'].includes(host) ? ['grpc', 'http'] : ['http'];
      expect(service.ports.map((p) => p.name).sort(), host).to.deep.equal(expected);
      expect(headless.ports.map((p) => p.name).sort(), host).to.deep.equal(expected);
      const hpa = find('HorizontalPodAutoscaler', host);
      expect(hpa.apiVersion).to.equal('autoscaling/v2');
      expect(hpa.spec!.minReplicas, host).to.equal(replicas);
      expect((hpa.spec!.scaleTargetRef as { name: string }).name).to.equal(host);
    }
  });

  it('points the gRPC clients at the headless Services and keeps secrets in a placeholder Secret', () => {
    const config = find('ConfigMap', 'conference-config') as unknown as { data: Record<string, string> };
    expect(config.data.SESSION_GRPC_TARGET).to.equal('dns:///session-service-pods.conference.svc.cluster.local:50051');
    expect(config.data.SPEAKER_GRPC_TARGET).to.equal('dns:///speaker-service-pods.conference.svc.cluster.local:50051');
    const secret = find('Secret', 'conference-secrets') as unknown as { stringData: Record<string, string> };
    for (const [key, value] of Object.entries(secret.stringData).filter(([k]) => k !== 'admin-email')) expect(value, key).to.contain('REPLACE_ME');
  });

  it('ships the gateway configuration rendered from the same template, current, as a generated ConfigMap', () => {
    const input = JSON.parse(readFileSync(join(k8sDir, 'gateway', 'nginx.json'), 'utf8')) as RenderInput;
    const conf = readFileSync(join(k8sDir, 'gateway', 'nginx.conf'), 'utf8');
    expect(conf, 'run: node docker/nginx/render.mjs --input docker/k8s/gateway/nginx.json --out docker/k8s/gateway/nginx.conf').to.equal(renderNginxConfig(input));
    expect(kustomization.configMapGenerator).to.deep.equal([{ name: 'gateway-nginx', files: ['gateway/nginx.conf'], options: { labels: { 'app.kubernetes.io/name': 'gateway', 'app.kubernetes.io/part-of': 'conference' } } }]);
    // What kustomize generates from it must itself be a valid ConfigMap.
    new core.ConfigMap({ metadata: { name: 'gateway-nginx', namespace: 'conference' }, data: { 'nginx.conf': conf } }).validate();
    // Every upstream is a headless Service of these manifests.
    for (const addresses of Object.values(input.upstreams)) {
      for (const address of addresses) {
        const name = address.split('.')[0]!;
        expect((find('Service', name).spec as { clusterIP?: string }).clusterIP, name).to.equal('None');
      }
    }
    const gateway = find('Deployment', 'gateway');
    const [nginx] = containersOf(gateway);
    expect(nginx!.readinessProbe?.httpGet?.path).to.equal('/gateway/health');
    expect(nginx!.ports?.[0]?.containerPort).to.equal(input.listen);
  });
});
