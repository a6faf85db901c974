export default definePageConfig({ navigationBarTitleText: '活动的团' });
