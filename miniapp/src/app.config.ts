const h5Only = process.env.TARO_ENV === 'h5' ? ['pages/login/index'] : [];

export default defineAppConfig({
  pages: [
    'pages/home/index',
    'pages/orders/index',
    'pages/member/index',
    'pages/product/index',
    'pages/group/index',
    'pages/order-confirm/index',
    'pages/order-detail/index',
    'pages/points/index',
    'pages/not-found/index',
    // sharing (issue 13)
    'pages/deal/index',
    'pages/poster/index',
    'pages/share/index',
    'pages/cart/index',
    'pages/search/index',
    // promotions
    'pages/coupons/index',
    'pages/addresses/index',
    ...h5Only,
  ],
  subPackages: [
    {
      root: 'clerk',
      pages: ['orders/index', 'redeem/index', 'member-scan/index', 'refunds/index', 'delivery/index', 'today/index', 'audit/index', 'invite/index'],
    },
    {
      // the operator console (role admin); the chart library is only in this package
      root: 'admin',
      pages: ['home/index', 'products/index', 'deals/index', 'deal-edit/index', 'deal-groups/index', 'promotions/index', 'stores/index', 'invites/index', 'audit/index'],
    },
  ],
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '邻里',
    navigationBarTextStyle: 'black',
    // h5: Taro's own navigation bar (title, and a back arrow — or home, on a page opened by link).
    navigationStyle: 'default',
    backgroundColor: '#f5f5f5',
  },
  tabBar: {
    color: '#666666',
    selectedColor: '#ff5a1f',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      { pagePath: 'pages/home/index', text: '首页', iconPath: 'assets/tab/home.png', selectedIconPath: 'assets/tab/home-active.png' },
      { pagePath: 'pages/cart/index', text: '购物车', iconPath: 'assets/tab/cart.png', selectedIconPath: 'assets/tab/cart-active.png' },
      { pagePath: 'pages/orders/index', text: '订单', iconPath: 'assets/tab/orders.png', selectedIconPath: 'assets/tab/orders-active.png' },
      { pagePath: 'pages/member/index', text: '会员', iconPath: 'assets/tab/member.png', selectedIconPath: 'assets/tab/member-active.png' },
    ],
  },
  permission: {
    'scope.userLocation': { desc: '用于为你推荐最近的门店' },
  },
  requiredPrivateInfos: ['getLocation'],
});
