const h5Only = process.env.TARO_ENV === 'h5' ? ['pages/login/index'] : [];

export default defineAppConfig({
  pages: ['pages/home/index', ...h5Only],
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '邻里',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f5f5',
  },
  permission: {
    'scope.userLocation': { desc: '用于为你推荐最近的门店' },
  },
  requiredPrivateInfos: ['getLocation'],
});
