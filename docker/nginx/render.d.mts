// Types of render.mjs for the TypeScript tests (the renderer itself stays plain Node ESM, so the
// stack runner and operators can run it without a build).
export interface RouteSpec {
  readonly route: string;
  readonly service: string;
  readonly limited: boolean;
}
export interface RenderInput {
  listen: number | string;
  upstreams: Record<string, readonly string[]>;
  daemon?: boolean;
  workerProcesses?: string;
  accessLog?: string;
  errorLog?: string;
  resolver?: string | null;
  authRate?: string;
  authBurst?: number;
  bodyLimitBytes?: number;
  nextUpstreamTries?: number;
  nextUpstreamTimeout?: string;
  maxFails?: number;
  failTimeout?: string;
  keepalive?: number;
}
export const ROUTES: readonly RouteSpec[];
export const SERVICES: readonly string[];
export const DEFAULTS: Readonly<Omit<Required<RenderInput>, 'listen' | 'upstreams'>>;
export function checkAddress(address: unknown, what: string): string;
export function normalize(input: unknown): Required<RenderInput>;
export function renderNginxConfig(input: RenderInput): string;
