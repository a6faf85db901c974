import { Button, Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { go, routes } from '../../utils/routes';
import './index.scss';

/**
 * Loading / error / empty states every screen shows the same way. `notFound` marks the error as a
 * dead link (missing or malformed id): it offers the way home instead of a retry.
 */
export function StateView(props: {
  loading?: boolean;
  error?: string | null;
  notFound?: boolean;
  empty?: boolean;
  emptyText?: string;
  onRetry?: () => void;
  children?: ReactNode;
}) {
  if (props.loading) {
    return (
      <View className='state state--loading' data-testid='loading'>
        <Text>加载中…</Text>
      </View>
    );
  }
  if (props.error && props.notFound) {
    return (
      <View className='state state--gone' data-testid='not-found'>
        <Text className='state__icon'>?</Text>
        <Text className='state__text'>{props.error}</Text>
        <Button className='btn-primary state__home' size='mini' onClick={() => void go(routes.home())} data-testid='go-home'>
          返回首页
        </Button>
      </View>
    );
  }
  if (props.error) {
    return (
      <View className='state state--error' data-testid='error'>
        <Text className='state__text'>{props.error}</Text>
        {props.onRetry && (
          <Button className='state__retry' size='mini' onClick={props.onRetry}>
            重试
          </Button>
        )}
      </View>
    );
  }
  if (props.empty) {
    return (
      <View className='state state--empty' data-testid='empty'>
        <Text>{props.emptyText ?? '这里还没有内容'}</Text>
      </View>
    );
  }
  return <>{props.children}</>;
}
