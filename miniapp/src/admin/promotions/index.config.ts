export default definePageConfig({ navigationBarTitleText: '优惠券与满减' });
