import { Canvas as F2Canvas, type CanvasProps } from '@antv/f2';
import { Canvas, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';

/** What a chart draws, given the width it gets (an F2 element tree, built with F2's `jsx`). */
export type ChartTree = (width: number) => CanvasProps['children'];

interface Surface {
  context: CanvasRenderingContext2D;
  /** weapp's canvas node: F2 schedules its frames and loads images through it. */
  node?: { requestAnimationFrame(cb: () => void): number; cancelAnimationFrame(id: number): void; createImage(): HTMLImageElement };
}

const pixelRatio = () => Math.min(3, Taro.getSystemInfoSync().pixelRatio || 1);

/** The 2d context of the page's canvas `id`, once it is in the tree (h5: Taro's <canvas>; weapp: the canvas node). */
async function surface(id: string, width: number, height: number): Promise<Surface | null> {
  for (let attempt = 0; attempt < 60; attempt++) {
    if (process.env.TARO_ENV === 'h5') {
      const el = document.querySelector(`canvas[canvas-id="${id}"]`) as HTMLCanvasElement | null;
      const context = el?.getContext('2d');
      if (context) return { context };
    } else {
      const node = await new Promise<{ getContext(t: '2d'): CanvasRenderingContext2D; width: number; height: number } | null>((resolve) => {
        Taro.createSelectorQuery()
          .select(`#${id}`)
          .fields({ node: true, size: true })
          .exec((res: Array<{ node?: never } | null>) => resolve(res?.[0]?.node ?? null));
      });
      if (node) {
        const dpr = pixelRatio();
        node.width = width * dpr;
        node.height = height * dpr;
        return { context: node.getContext('2d'), node: node as unknown as Surface['node'] };
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}

/**
 * A chart drawn by AntV F2 on a 2d canvas, the same code on weapp and h5. `dataKey` changes when the
 * data does (the chart is redrawn); the caption under it states the same numbers as text (read by
 * screen readers, and by anyone who cannot see the colours).
 */
export function F2Chart(props: { id: string; height: number; dataKey: string; tree: ChartTree; caption?: string; testId?: string }) {
  const { id, height, dataKey, tree } = props;
  const [width] = useState(() => Math.max(240, Math.floor(Taro.getSystemInfoSync().windowWidth - 48)));
  const chart = useRef<F2Canvas | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    void surface(id, width, height).then(async (s) => {
      if (!live) return;
      if (!s) return setFailed(true);
      const cfg: CanvasProps = {
        context: s.context,
        pixelRatio: pixelRatio(),
        width,
        height,
        animate: false,
        children: tree(width),
        ...(s.node
          ? { requestAnimationFrame: s.node.requestAnimationFrame.bind(s.node), cancelAnimationFrame: s.node.cancelAnimationFrame.bind(s.node), createImage: s.node.createImage.bind(s.node) }
          : {}),
      } as CanvasProps;
      try {
        if (chart.current) await chart.current.update(cfg);
        else {
          chart.current = new F2Canvas(cfg);
          await chart.current.render();
        }
      } catch {
        if (live) setFailed(true);
      }
    });
    return () => {
      live = false;
    };
  }, [id, width, height, dataKey]);
  useEffect(
    () => () => {
      chart.current?.destroy();
      chart.current = null;
    },
    [],
  );

  const dpr = pixelRatio();
  // h5: Taro's canvas sets its bitmap from width/height, so those are device pixels; weapp sizes the node itself.
  const h5Size = process.env.TARO_ENV === 'h5' ? { width: String(width * dpr), height: String(height * dpr) } : {};
  return (
    <View className='f2-chart' data-testid={props.testId}>
      <Canvas type='2d' id={id} canvasId={id} style={{ width: `${width}px`, height: `${height}px` }} {...(h5Size as object)} />
      {failed && <View className='f2-chart__failed'>图表无法显示，数字见下方</View>}
      {props.caption && (
        <View className='f2-chart__caption' data-testid={props.testId ? `${props.testId}-caption` : undefined}>
          {props.caption}
        </View>
      )}
    </View>
  );
}
