export default definePageConfig({ navigationBarTitleText: '今日门店' });
