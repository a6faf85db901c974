import { Button, Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import './index.scss';

/**
 * Pick a reason (or type one) and confirm: used by the shopper's refund request and the clerk's
 * refusal. The reason sent is the chip, plus what was typed; an empty one cannot be sent.
 */
export function ReasonForm(props: {
  title: string;
  choices: string[];
  placeholder: string;
  confirmText: string;
  busy?: boolean;
  onConfirm(reason: string): void;
  onCancel(): void;
  testid?: string;
}) {
  const [choice, setChoice] = useState<string | null>(null);
  const [text, setText] = useState('');
  const reason = [choice, text.trim()].filter(Boolean).join('：').slice(0, 200);
  const id = props.testid ?? 'reason';
  return (
    <View className='rform' data-testid={`${id}-form`}>
      <Text className='rform__title'>{props.title}</Text>
      <View className='rform__chips'>
        {props.choices.map((c) => (
          <Text key={c} className={`rform__chip ${choice === c ? 'rform__chip--on' : ''}`} onClick={() => setChoice(choice === c ? null : c)} data-testid={`${id}-choice`}>
            {c}
          </Text>
        ))}
      </View>
      <Input className='rform__input' maxlength={100} placeholder={props.placeholder} value={text} onInput={(e) => setText(e.detail.value)} data-testid={`${id}-input`} />
      <View className='rform__actions'>
        <Button className='btn-ghost rform__btn' size='mini' onClick={props.onCancel} data-testid={`${id}-cancel`}>
          再想想
        </Button>
        <Button className='btn-primary rform__btn' size='mini' disabled={!reason || props.busy} loading={props.busy} onClick={() => reason && props.onConfirm(reason)} data-testid={`${id}-confirm`}>
          {props.confirmText}
        </Button>
      </View>
    </View>
  );
}
