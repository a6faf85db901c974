import { startStack } from './stack.ts';
const s = await startStack();
const r = await fetch(s.bffUrl + '/api/v1/home?lat=31.23&lng=121.47');
const j = await r.json();
console.log(JSON.stringify(j).slice(0, 600), j.partial);
for (let i = 0; i < 3; i++) { const t0 = Date.now(); const r2 = await (await fetch(s.bffUrl + '/api/v1/home?lat=31.23&lng=121.47')).json(); console.log(Date.now() - t0, 'ms', r2.partial, r2.products?.items?.length); }
await s.stop();
