import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { FONT_FAMILY } from './poster.svg.js';

/** Where Debian (fonts-noto-cjk), Fedora and Arch put the Noto CJK fonts. */
const CANDIDATES = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc',
];

export interface PosterFonts {
  files: string[];
  family: string;
}

/**
 * The CJK font files the poster is drawn with: `POSTER_FONT_FILES` (colon-separated) when set, else
 * the system's Noto Sans CJK, else whatever fontconfig offers for Chinese. Empty when the machine has
 * none (the poster then falls back to the system's fonts and Chinese may not show).
 */
export function findPosterFonts(configured?: string): PosterFonts {
  if (configured) return { files: configured.split(':').filter(Boolean), family: FONT_FAMILY };
  const noto = CANDIDATES.filter((f) => existsSync(f));
  if (noto.length > 0) return { files: noto, family: FONT_FAMILY };
  const fc = spawnSync('fc-match', ['-f', '%{file}\n%{family[0]}', ':lang=zh-cn'], { encoding: 'utf8' });
  const [file, family] = fc.status === 0 ? fc.stdout.split('\n') : [];
  return file && existsSync(file) ? { files: [file], family: family || FONT_FAMILY } : { files: [], family: FONT_FAMILY };
}

/** Renders an SVG to PNG at its own size with the given fonts. */
export function renderPng(svg: string, fonts: PosterFonts): Buffer {
  const withFamily = fonts.family === FONT_FAMILY ? svg : svg.replaceAll(`font-family="${FONT_FAMILY}"`, `font-family="${fonts.family}"`);
  const r = new Resvg(withFamily, {
    font: fonts.files.length ? { fontFiles: fonts.files, loadSystemFonts: false, defaultFontFamily: fonts.family } : { loadSystemFonts: true },
    imageRendering: 0,
  });
  return r.render().asPng();
}
