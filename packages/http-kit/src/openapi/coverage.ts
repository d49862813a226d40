import type Router from '@koa/router';
import { openApiPath, type OpenApiObject } from './document.js';

export interface MountedRoute {
  readonly method: string;
  readonly path: string;
}

/** The method/path pairs a router serves (HEAD and OPTIONS, which the router adds itself, left out). */
export function routesOf(router: Router): MountedRoute[] {
  const routes: MountedRoute[] = [];
  for (const layer of router.stack) {
    if (typeof layer.path !== 'string') continue;
    for (const method of layer.methods) {
      if (method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, path: layer.path });
    }
  }
  return routes;
}

/** Routes the router serves that the document does not describe: should be empty, and a test says so. */
export function undocumentedRoutes(router: Router, document: OpenApiObject): MountedRoute[] {
  return routesOf(router).filter(({ method, path }) => {
    let documentedPath: string;
    try {
      documentedPath = openApiPath(path);
    } catch {
      return true;
    }
    return document.paths[documentedPath]?.[method.toLowerCase()] === undefined;
  });
}
