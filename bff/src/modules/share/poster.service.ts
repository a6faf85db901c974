import { createHash } from 'node:crypto';
import { SHARE_LANDING_PAGE, sceneOf, type PosterQuery } from '@linli/contracts';
import { AppError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import { posterSvg, type PosterContent } from './poster.svg.js';
import { renderPng, type PosterFonts } from './poster.render.js';
import type { ShareService } from './share.service.js';
import type { WxacodeClient } from './wxacode.client.js';

export interface Poster {
  png: Buffer;
  /** What the code square holds: `link` (a QR of the link) or `wxacode` (the host's mini-program code). */
  code: 'link' | 'wxacode';
  /** The link the poster leads to (the QR's text when `code` is `link`). */
  link: string;
  etag: string;
}

export interface PosterServiceDeps {
  shares: Pick<ShareService, 'resolve'>;
  wxacode: WxacodeClient;
  /** A product picture as a data URI (pictures the BFF serves are read from its folder); null when it has none. */
  imageDataUri(image: string): string | null;
  fonts: PosterFonts;
  logger: Logger;
  /** How many rendered posters to keep in memory. */
  cacheSize?: number;
}

/**
 * The 朋友圈 poster of a share: product picture, name, price, store, and a code that opens the share
 * (its link as a QR code, or the host's mini-program code whose scene names the share and store). The
 * same content renders once: posters are kept by a hash of what they show.
 */
export class PosterService {
  private readonly cache = new Map<string, Poster>();

  constructor(private readonly d: PosterServiceDeps) {}

  /** `linkBase` is where the h5 app is served (`https://h5.example.com`); the link is `${linkBase}/#${path}`. */
  async poster(shareId: string, q: PosterQuery, linkBase: string): Promise<Poster> {
    const { share, target } = await this.d.shares.resolve(shareId, q.storeId);
    const link = `${linkBase.replace(/\/+$/, '')}/#${share.path}`;
    let code: PosterContent['code'] = { kind: 'link', link };
    if (q.code === 'wxacode') {
      const scene = sceneOf(share.id, target.storeId);
      if (scene) {
        try {
          code = { kind: 'wxacode', png: await this.d.wxacode.unlimited({ scene, page: SHARE_LANDING_PAGE, width: 430 }) };
        } catch (err) {
          // The poster still works without the host: its QR code opens the same share as a link.
          if (!(err instanceof AppError) || err.status !== 502) throw err;
          this.d.logger.warn({ shareId, err: err.message }, 'poster: no mini-program code from the host, drawing the link instead');
        }
      }
    }
    const s = target.store;
    const content: PosterContent = {
      brand: '邻里优选',
      storeName: s?.name ?? target.storeId,
      storeAddress: s?.address ?? '',
      storeHours: s?.openHours ?? '',
      title: target.product.title,
      badge: target.badge,
      priceLabel: target.priceLabel,
      priceCents: target.priceCents,
      shelfPriceCents: target.shelfPriceCents > target.priceCents ? target.shelfPriceCents : null,
      imageDataUri: this.d.imageDataUri(target.product.image),
      code,
      hint: code.kind === 'wxacode' ? '长按识别小程序码 · 到店自提' : '长按识别二维码 · 到店自提',
    };
    const key = createHash('sha256')
      .update(JSON.stringify({ ...content, code: code.kind === 'link' ? code : { kind: code.kind, png: createHash('sha256').update(code.png).digest('hex') } }))
      .digest('base64url')
      .slice(0, 27);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const poster: Poster = { png: renderPng(posterSvg(content), this.d.fonts), code: code.kind, link, etag: `"${key}"` };
    this.cache.set(key, poster);
    if (this.cache.size > (this.d.cacheSize ?? 64)) this.cache.delete(this.cache.keys().next().value!);
    return poster;
  }
}
