export const miniappDir: string;
export interface BuildResult {
  ok: boolean;
  code: number | null;
  ms: number;
  output: string;
  outDir: string;
}
export function buildTarget(target: 'weapp' | 'h5', opts?: { outputRoot?: string; env?: Record<string, string> }): Promise<BuildResult>;
