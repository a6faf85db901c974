import Router from '@koa/router';
import QRCode from 'qrcode';
import type { Host, HostModule } from '../host.js';

/**
 * Unlimited mini-program codes (`wxacode.getUnlimited`), as the host makes them:
 * `POST /wxa/getwxacodeunlimit?access_token=` with `{scene, page, check_path, env_version, width}`
 * answers the image bytes, or JSON `{errcode, errmsg}` when it refuses. The real code is a round
 * "sun" code only the super-app reads; this one is a PNG QR code of `wxacode:<page>?scene=<scene>`, so a
 * test can scan it and see which page and scene it opens.
 */
export interface WxacodePart {
  /** Codes made so far, newest last. */
  readonly made: { scene: string; page: string; width: number }[];
}

declare module '../host.js' {
  interface HostParts {
    wxacode: WxacodePart;
  }
}

/** What a scene may hold: 1–32 visible characters of these. */
const SCENE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/;
const PAGE = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

/** The text a mock mini-program code holds. */
export const wxacodeText = (page: string, scene: string) => `wxacode:${page}?scene=${encodeURIComponent(scene)}`;

export const wxacodeModule: HostModule = {
  name: 'wxacode',
  part: () => ({ wxacode: { made: [] } }),
  routes: (host: Host) => {
    const r = new Router();
    // https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/qrcode-link/qr-code/getUnlimitedQRCode.html
    r.post('/wxa/getwxacodeunlimit', async (ctx) => {
      const token = typeof ctx.query.access_token === 'string' ? ctx.query.access_token : undefined;
      if (!host.parts.token.verify(token)) {
        ctx.body = { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
        return;
      }
      const b = (ctx.request.body ?? {}) as Record<string, unknown>;
      const scene = typeof b.scene === 'string' ? b.scene : '';
      if (!SCENE.test(scene)) {
        ctx.body = { errcode: 40169, errmsg: 'invalid length for scene, or the data is not json string' };
        return;
      }
      const page = b.page === undefined || b.page === '' ? 'pages/home/index' : String(b.page);
      // The page must be a published page path without a leading slash (check_path defaults to true).
      if (!PAGE.test(page)) {
        ctx.body = { errcode: 41030, errmsg: 'invalid page rid: mock' };
        return;
      }
      const width = b.width === undefined ? 430 : Number(b.width);
      if (!Number.isInteger(width) || width < 280 || width > 1280) {
        ctx.body = { errcode: 40097, errmsg: 'invalid args: width must be 280..1280' };
        return;
      }
      host.parts.wxacode.made.push({ scene, page, width });
      ctx.type = 'image/png';
      ctx.body = await QRCode.toBuffer(wxacodeText(page, scene), { type: 'png', width, margin: 2, errorCorrectionLevel: 'M' });
    });
    return r;
  },
};
