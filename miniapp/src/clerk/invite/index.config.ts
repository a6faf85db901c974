export default definePageConfig({ navigationBarTitleText: '兑换店员邀请' });
