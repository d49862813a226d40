#!/usr/bin/env node
/**
 * Summarises V8 .cpuprofile files (from `node --cpu-prof`): self time by function and by package.
 *
 *   node bench/profile-summary.mjs FILE.cpuprofile [--top 30]
 */
import { readFileSync } from 'node:fs';

export function summarise(file, top = 30) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map();
  const pkg = new Map();
  const where = (url) => {
    if (!url) return '(native/V8)';
    const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (nm) return nm[1];
    const ws = /\/work\/main\/((?:packages|hosts)\/[^/]+)/.exec(url);
    if (ws) return ws[1];
    if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
    return url;
  };
  for (const [id, us] of self) {
    const n = byId.get(id);
    const cf = n.callFrame;
    const key = `${cf.functionName || '(anonymous)'} ${cf.url ? `${cf.url.replace(/^file:\/\/\/work\/main\//, '')}:${cf.lineNumber + 1}` : ''}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const p = where(cf.url);
    pkg.set(p, (pkg.get(p) ?? 0) + us);
  }
  // Inclusive: the time with a package anywhere on the stack (each counted once per sample), over busy samples.
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map();
  const stackCache = new Map();
  const packagesOn = (id) => {
    if (stackCache.has(id)) return stackCache.get(id);
    const set = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      const cf = n.callFrame;
      if (cf.url) set.add(where(cf.url));
      if (/^(writeString|writeUtf8String|writeBuffer|writev)$/.test(cf.functionName)) set.add(`[native ${cf.functionName}]`);
    }
    stackCache.set(id, set);
    return set;
  };
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const fnName = byId.get(id).callFrame.functionName;
    if (fnName === '(idle)') return;
    const us = profile.timeDeltas[i] ?? 0;
    busy += us;
    for (const p of packagesOn(id)) incl.set(p, (incl.get(p) ?? 0) + us);
  });
  const fmt = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `${(100 * us / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`).join('\n');
  const fmtBusy = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `${(100 * us / busy).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`).join('\n');
  return `${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy\n-- inclusive by package (% of busy time with it on the stack) --\n${fmtBusy(incl)}\n-- self by package --\n${fmt(pkg)}\n-- by function (self) --\n${fmt(fn)}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const i = process.argv.indexOf('--top');
  process.stdout.write(summarise(process.argv[2], i > 0 ? Number(process.argv[i + 1]) : 30));
}
