import { useEffect, useState } from 'react';
import { countdown, nextTickMs, type CountdownState } from './countdown';

/** A live countdown to `target`; calls `onExpire` once when it reaches zero. */
export function useCountdown(target: string | undefined, onExpire?: () => void, skewMs = 0): CountdownState | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!target) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let fired = false;
    const tick = () => {
      const t = Date.now();
      setNow(t);
      const wait = nextTickMs(target, t, skewMs);
      if (wait === Infinity) {
        if (!fired) {
          fired = true;
          onExpire?.();
        }
        return;
      }
      timer = setTimeout(tick, Math.min(wait + 5, 1000));
    };
    tick();
    return () => clearTimeout(timer);
  }, [target, skewMs]);
  return target ? countdown(target, now, skewMs) : null;
}
