import { ScrollView, Text, View } from '@tarojs/components';
import './index.scss';

/** A horizontal tab strip. */
export function Tabs<K extends string>({ tabs, active, onChange }: { tabs: { key: K; label: string }[]; active: K; onChange: (k: K) => void }) {
  return (
    <ScrollView scrollX className='tabs' enableFlex>
      <View className='tabs__row'>
        {tabs.map((t) => (
          <View key={t.key} className={`tabs__tab ${t.key === active ? 'tabs__tab--on' : ''}`} onClick={() => onChange(t.key)} data-testid={`tab-${t.key}`}>
            <Text>{t.label}</Text>
          </View>
        ))}
      </View>
    </ScrollView>
  );
}
