import { Button, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { go, routes } from '../../utils/routes';
import './index.scss';

/** Where a link to a page that does not exist lands (the app redirects unknown routes here). */
export default function NotFoundPage() {
  const { params } = useRouter();
  return (
    <View className='nf' data-testid='page-not-found'>
      <Text className='nf__icon'>404</Text>
      <Text className='nf__title'>页面不存在</Text>
      <Text className='nf__text'>这个链接打不开，可能输错了或者页面已下线。</Text>
      {params.from && <Text className='nf__path muted'>{decodeURIComponent(params.from)}</Text>}
      <Button className='btn-primary nf__home' onClick={() => void go(routes.home())} data-testid='go-home'>
        返回首页
      </Button>
    </View>
  );
}
