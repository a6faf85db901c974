import Taro from '@tarojs/taro';
import type { PropsWithChildren } from 'react';
import { routes } from './utils/routes';
import './app.scss';

// A link to a page the app does not have (an old share, a typo) lands on a page that says so, with a
// way home, instead of a blank screen.
Taro.onPageNotFound((res) => {
  void Taro.redirectTo({ url: routes.notFound(res.path) }).catch(() => Taro.reLaunch({ url: routes.notFound(res.path) }));
});

/** The app shell. Shared state (session, current store) lives in src/store, not in a provider. */
function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
