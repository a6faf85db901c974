import { View } from '@tarojs/components';
import { host } from '../../host';
import { go, routes } from '../../utils/routes';
import './index.scss';

/** h5 has no navigation bar: pages reached from a link or the wallet get a way home. */
export function HomeLink() {
  if (host.target !== 'h5') return null;
  return (
    <View className='home-link' onClick={() => go(routes.home())} data-testid='home-link'>
      首页
    </View>
  );
}
