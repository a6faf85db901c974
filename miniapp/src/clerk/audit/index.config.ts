export default definePageConfig({ navigationBarTitleText: '核销与操作记录' });
