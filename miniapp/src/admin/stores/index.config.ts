export default definePageConfig({ navigationBarTitleText: '门店与营业时间' });
