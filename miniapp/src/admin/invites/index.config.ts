export default definePageConfig({ navigationBarTitleText: '店员邀请' });
