import { AppError } from '../../common/errors.js';
import { HostUnavailableError } from '../identity/host-client.js';

/** A request for the host's unlimited mini-program code (`wxacode.getUnlimited`). */
export interface WxacodeRequest {
  /** ≤ 32 visible characters; the page reads it as `options.scene`. */
  scene: string;
  /** A published page, no leading slash (`pages/share/index`). */
  page: string;
  width?: number;
}

/** The host's mini-program codes: a PNG that opens `page` with `scene` when scanned in the super-app. */
export interface WxacodeClient {
  unlimited(req: WxacodeRequest): Promise<Buffer>;
}

const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);
const TIMEOUT_MS = 5000;

/**
 * `POST /wxa/getwxacodeunlimit?access_token=` on the host: answers the image bytes, or JSON
 * `{errcode, errmsg}`. A stale token is fetched again once; a host that does not answer is 502
 * HOST_UNAVAILABLE, a refused request 502 WXACODE_REFUSED with the host's errcode.
 */
export function createHostWxacode(hostUrl: string, accessToken: (opts?: { refresh?: boolean }) => Promise<string>): WxacodeClient {
  const base = hostUrl.replace(/\/+$/, '');
  async function call(req: WxacodeRequest, token: string): Promise<Buffer | { errcode: number; errmsg: string }> {
    let res: Response;
    try {
      res = await fetch(`${base}/wxa/getwxacodeunlimit?access_token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scene: req.scene, page: req.page, check_path: true, env_version: 'release', width: req.width ?? 430 }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new HostUnavailableError('The super-app host did not answer', { path: '/wxa/getwxacodeunlimit', cause: (err as Error).name });
    }
    const body = Buffer.from(await res.arrayBuffer());
    if ((res.headers.get('content-type') ?? '').startsWith('image/')) return body;
    try {
      const j = JSON.parse(body.toString('utf8')) as { errcode?: number; errmsg?: string };
      return { errcode: Number(j.errcode ?? -1), errmsg: String(j.errmsg ?? '') };
    } catch {
      throw new HostUnavailableError('The super-app host answered neither an image nor JSON', { status: res.status });
    }
  }
  return {
    async unlimited(req) {
      let r = await call(req, await accessToken());
      if (!Buffer.isBuffer(r) && TOKEN_ERRCODES.has(r.errcode)) r = await call(req, await accessToken({ refresh: true }));
      if (Buffer.isBuffer(r)) return r;
      throw new AppError(502, 'WXACODE_REFUSED', 'The host refused to make the mini-program code', { errcode: r.errcode, errmsg: r.errmsg });
    },
  };
}
