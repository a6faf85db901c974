import { Input, Text, View } from '@tarojs/components';

/** One labelled text input of a console form. */
export function Field(props: { label: string; value: string; onInput: (v: string) => void; id: string; type?: 'text' | 'digit' | 'number' }) {
  return (
    <View className='admin__field'>
      <Text className='admin__label'>{props.label}</Text>
      <Input className='admin__input' type={props.type ?? 'text'} value={props.value} onInput={(e) => props.onInput(e.detail.value)} data-testid={props.id} />
    </View>
  );
}
