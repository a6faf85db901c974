import { Image, Text, View } from '@tarojs/components';
import './index.scss';

/** A seat in a group: the member's avatar (or an empty slot), a leader badge, a held/paid mark. */
export function SeatAvatar(props: { avatar?: string; nickname?: string; leader?: boolean; held?: boolean }) {
  if (!props.nickname) {
    return (
      <View className='seat seat--empty' data-testid='seat-empty'>
        <View className='seat__img seat__img--empty'>
          <Text>?</Text>
        </View>
        <Text className='seat__name'>虚位以待</Text>
      </View>
    );
  }
  return (
    <View className='seat' data-testid='seat'>
      <Image className='seat__img' src={props.avatar ?? ''} mode='aspectFill' />
      {props.leader && <Text className='seat__badge'>团长</Text>}
      <Text className='seat__name'>{props.nickname}</Text>
      {props.held && <Text className='seat__held'>待支付</Text>}
    </View>
  );
}
