import { Text, View } from '@tarojs/components';
import './index.scss';

/** One line saying a part of the screen did not load, with a retry; nothing when there is no error. */
export function LoadError(props: { text: string | null; onRetry: () => void; testId?: string }) {
  if (!props.text) return null;
  return (
    <View className='load-error' data-testid={props.testId ?? 'load-error'}>
      <Text className='load-error__text'>{props.text}</Text>
      <Text className='load-error__retry' onClick={props.onRetry} data-testid='load-error-retry'>
        重试
      </Text>
    </View>
  );
}
