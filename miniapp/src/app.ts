import type { PropsWithChildren } from 'react';
import './app.scss';

/** The app shell. Shared state (session, current store) lives in src/store, not in a provider. */
function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
