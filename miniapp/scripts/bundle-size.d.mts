export const BUDGETS: { weappMainBytes: number; h5FirstLoadGzipBytes: number };
export function weappSizes(outDir: string): { mainBytes: number; subpackages: Record<string, number> };
export function h5FirstLoad(outDir: string): { rawBytes: number; gzipBytes: number; files: { src: string; raw: number; gzip: number }[] };
export function h5FirstLoadInBrowser(
  outDir: string,
  opts: { bffUrl: string; mockUrl?: string; chromiumPath?: string; route?: string },
): Promise<{ rawBytes: number; gzipBytes: number; files: { src: string; raw: number; gzip: number }[] }>;
