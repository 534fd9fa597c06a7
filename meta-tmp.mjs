import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
const r = await build({ entryPoints: ['src/index.ts'], bundle: true, minify: true, format: 'esm', platform: 'neutral', conditions: ['workerd','worker','browser'], mainFields: ['module','main'], external: ['cloudflare:*','node:*'], metafile: true, write: false, jsx: 'automatic', jsxImportSource: 'hono/jsx', logLevel: 'error' });
console.log('min', r.outputFiles[0].contents.length, 'gzip', gzipSync(r.outputFiles[0].contents).length);
const by = {};
for (const [f, i] of Object.entries(Object.values(r.metafile.outputs)[0].inputs)) { const m = f.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/); const k = m ? m[1] : f.split('/').slice(0,2).join('/'); by[k] = (by[k] ?? 0) + i.bytesInOutput; }
console.log(Object.entries(by).sort((a,b)=>b[1]-a[1]).slice(0,6));
