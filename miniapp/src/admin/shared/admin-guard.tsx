import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { LoginPrompt } from '../../components/login-prompt';
import { isAdmin, useSession } from '../../store/session';

/** Renders its children only for an operator (role admin); others see why not. */
export function AdminGuard({ children }: { children: ReactNode }) {
  const session = useSession();
  if (!session.tokens) return <LoginPrompt text='运营人员请先登录' />;
  if (!isAdmin(session)) {
    return (
      <View className='state' data-testid='not-admin'>
        <Text>仅总部运营人员可以使用后台</Text>
      </View>
    );
  }
  return <>{children}</>;
}
