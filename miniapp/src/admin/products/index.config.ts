export default definePageConfig({ navigationBarTitleText: '商品与库存' });
