import test from 'ava';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { startMockHost } from '../../bff/test/helpers.js';

async function setup(t: import('ava').ExecutionContext) {
  const mock = await startMockHost(t);
  const token = ((await (await fetch(`${mock.url}/cgi-bin/token?grant_type=client_credential&appid=${mock.host.config.APP_ID}&secret=${mock.host.config.APP_SECRET}`)).json()) as { access_token: string }).access_token;
  const make = (body: Record<string, unknown>, accessToken = token) =>
    fetch(`${mock.url}/wxa/getwxacodeunlimit?access_token=${accessToken}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { mock, make };
}

test('getUnlimited answers a PNG of the asked width that opens the page with the scene', async (t) => {
  const { mock, make } = await setup(t);
  const res = await make({ scene: 'AbC_-123456789012345678.S001', page: 'pages/share/index', check_path: true, env_version: 'release', width: 430 });
  t.is(res.headers.get('content-type'), 'image/png');
  const img = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
  t.is(img.width, 430);
  const code = jsQR(new Uint8ClampedArray(img.data), img.width, img.height);
  t.is(code?.data, 'wxacode:pages/share/index?scene=AbC_-123456789012345678.S001');
  t.deepEqual(mock.host.parts.wxacode.made, [{ scene: 'AbC_-123456789012345678.S001', page: 'pages/share/index', width: 430 }]);
});

test('the host refuses as the real one does: bad token 40001, scene over 32 characters 40169, a page with a leading slash 41030, width out of range', async (t) => {
  const { mock, make } = await setup(t);
  const json = async (r: Response) => {
    t.regex(r.headers.get('content-type') ?? '', /json/);
    return (await r.json()) as { errcode: number };
  };
  t.is((await json(await make({ scene: 'a', page: 'pages/share/index' }, 'forged'))).errcode, 40001);
  t.is((await json(await make({ scene: 'x'.repeat(33), page: 'pages/share/index' }))).errcode, 40169);
  t.is((await json(await make({ scene: '', page: 'pages/share/index' }))).errcode, 40169);
  t.is((await json(await make({ scene: 'a b', page: 'pages/share/index' }))).errcode, 40169);
  t.is((await json(await make({ scene: 'ok', page: '/pages/share/index' }))).errcode, 41030);
  t.is((await json(await make({ scene: 'ok', page: 'pages/share/index', width: 100 }))).errcode, 40097);
  t.is(mock.host.parts.wxacode.made.length, 0);
});
