import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { LoginPrompt } from '../login-prompt';
import { isClerk, useSession } from '../../store/session';

/** Renders its children only for a clerk; others see why not. */
export function ClerkGuard({ children }: { children: ReactNode }) {
  const session = useSession();
  if (!session.tokens) return <LoginPrompt text='店员请先登录' />;
  if (!isClerk(session)) {
    return (
      <View className='state' data-testid='not-clerk'>
        <Text>仅门店店员可以使用工作台</Text>
      </View>
    );
  }
  return <>{children}</>;
}
