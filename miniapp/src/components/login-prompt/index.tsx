import { Button, Text, View } from '@tarojs/components';
import { ensureLogin } from '../../services/auth';

/** Shown on pages that need a session when there is none. */
export function LoginPrompt({ text = '登录后查看' }: { text?: string }) {
  return (
    <View className='state' data-testid='login-prompt'>
      <Text className='state__text'>{text}</Text>
      <Button className='btn-primary' size='mini' onClick={() => void ensureLogin()} data-testid='login-button'>
        去登录
      </Button>
    </View>
  );
}
