// Reference data for the demo chain: real district centres of two cities and a Chinese catalog.

export interface District {
  city: string;
  district: string;
  lat: number;
  lng: number;
  roads: string[];
}

/** District centres (WGS-84) of Shanghai and Hangzhou; stores are placed near them. */
export const DISTRICTS: District[] = [
  { city: '上海', district: '黄浦区', lat: 31.2317, lng: 121.4846, roads: ['南京东路', '淮海中路', '西藏南路'] },
  { city: '上海', district: '徐汇区', lat: 31.1886, lng: 121.4365, roads: ['漕溪北路', '天钥桥路', '衡山路'] },
  { city: '上海', district: '静安区', lat: 31.229, lng: 121.448, roads: ['南京西路', '延安中路', '共和新路'] },
  { city: '上海', district: '长宁区', lat: 31.2204, lng: 121.4244, roads: ['愚园路', '天山路', '仙霞路'] },
  { city: '上海', district: '普陀区', lat: 31.2496, lng: 121.3973, roads: ['曹杨路', '长寿路', '真北路'] },
  { city: '上海', district: '虹口区', lat: 31.2646, lng: 121.505, roads: ['四川北路', '曲阳路', '大连路'] },
  { city: '上海', district: '杨浦区', lat: 31.2595, lng: 121.526, roads: ['五角场', '控江路', '国权路'] },
  { city: '上海', district: '浦东新区', lat: 31.2215, lng: 121.5447, roads: ['世纪大道', '张杨路', '陆家嘴环路'] },
  { city: '上海', district: '闵行区', lat: 31.1128, lng: 121.3817, roads: ['莘庄路', '虹井路', '七莘路'] },
  { city: '上海', district: '宝山区', lat: 31.4046, lng: 121.4894, roads: ['牡丹江路', '友谊路', '共康路'] },
  { city: '上海', district: '嘉定区', lat: 31.3747, lng: 121.2655, roads: ['城中路', '清河路', '塔城路'] },
  { city: '上海', district: '松江区', lat: 31.0322, lng: 121.2277, roads: ['中山中路', '人民北路', '荣乐路'] },
  { city: '杭州', district: '上城区', lat: 30.2425, lng: 120.1694, roads: ['解放路', '延安路', '望江路'] },
  { city: '杭州', district: '拱墅区', lat: 30.3195, lng: 120.1419, roads: ['湖墅南路', '莫干山路', '大关路'] },
  { city: '杭州', district: '西湖区', lat: 30.2594, lng: 120.1302, roads: ['文三路', '天目山路', '古墩路'] },
  { city: '杭州', district: '滨江区', lat: 30.2084, lng: 120.2108, roads: ['江南大道', '长河路', '滨盛路'] },
  { city: '杭州', district: '萧山区', lat: 30.1839, lng: 120.2644, roads: ['市心中路', '金城路', '人民路'] },
  { city: '杭州', district: '余杭区', lat: 30.4187, lng: 120.3, roads: ['文一西路', '五常大道', '良睦路'] },
];

export interface CategorySeed {
  id: string;
  name: string;
  icon: string;
  color: string;
  unit: string;
  /** Base price range in cents. */
  price: [number, number];
  items: string[];
  specs: string[];
}

export const CATEGORIES: CategorySeed[] = [
  { id: 'fruit', name: '新鲜水果', icon: '🍎', color: '#f06a5b', unit: '份', price: [990, 5990], items: ['红富士苹果', '赣南脐橙', '海南香蕉', '阳光玫瑰葡萄', '丹东草莓', '麒麟西瓜', '库尔勒香梨', '徐香猕猴桃', '台农芒果', '云南蓝莓'], specs: ['500g', '1kg', '精选礼盒'] },
  { id: 'veg', name: '时令蔬菜', icon: '🥬', color: '#4caf50', unit: '份', price: [290, 1590], items: ['上海青', '西兰花', '番茄', '黄瓜', '土豆', '胡萝卜', '菠菜', '杏鲍菇', '玉米', '山药'], specs: ['300g', '500g', '家庭装'] },
  { id: 'meat', name: '肉禽蛋品', icon: '🥩', color: '#c0392b', unit: '份', price: [1290, 6990], items: ['黑猪五花肉', '猪里脊', '牛腱子', '羔羊排', '三黄鸡', '鸡翅中', '土鸡蛋', '鸭胸肉', '猪肋排', '肥牛卷'], specs: ['300g', '500g', '量贩装'] },
  { id: 'seafood', name: '水产海鲜', icon: '🦐', color: '#1e88e5', unit: '份', price: [1990, 9990], items: ['基围虾', '大闸蟹', '鲈鱼', '带鱼段', '三文鱼', '花蛤', '鱿鱼须', '黄鱼', '扇贝肉', '虾仁'], specs: ['250g', '500g', '冰鲜装'] },
  { id: 'dairy', name: '乳品烘焙', icon: '🥛', color: '#90a4ae', unit: '件', price: [590, 3990], items: ['鲜牛奶', '原味酸奶', '奶酪棒', '全麦吐司', '牛角包', '芝士蛋糕', '黄油', '希腊酸奶', '燕麦奶', '豆浆'], specs: ['单件', '两件装', '家庭装'] },
  { id: 'staple', name: '粮油调味', icon: '🍚', color: '#a1887f', unit: '袋', price: [590, 8990], items: ['五常大米', '东北珍珠米', '压榨花生油', '玉米油', '生抽', '老陈醋', '挂面', '黄豆酱', '蚝油', '冰糖'], specs: ['小包装', '标准装', '大包装'] },
  { id: 'snack', name: '休闲零食', icon: '🍪', color: '#ff9800', unit: '包', price: [390, 3990], items: ['每日坚果', '薯片', '牛肉干', '海苔', '饼干', '巧克力', '话梅', '瓜子', '果冻', '麻花'], specs: ['单包', '分享装', '量贩装'] },
  { id: 'drink', name: '酒水饮料', icon: '🧃', color: '#26a69a', unit: '瓶', price: [290, 12990], items: ['矿泉水', '橙汁', '可乐', '乌龙茶', '椰子水', '苏打水', '精酿啤酒', '黄酒', '气泡水', '柠檬茶'], specs: ['单瓶', '六瓶装', '整箱'] },
  { id: 'frozen', name: '速冻食品', icon: '🥟', color: '#5c6bc0', unit: '袋', price: [890, 4990], items: ['荠菜猪肉水饺', '虾仁馄饨', '汤圆', '小笼包', '葱油饼', '鸡排', '披萨', '牛肉丸', '手抓饼', '烧卖'], specs: ['单袋', '两袋装', '家庭装'] },
  { id: 'daily', name: '日用百货', icon: '🧻', color: '#8d6e63', unit: '件', price: [590, 5990], items: ['抽纸', '卷纸', '洗衣液', '洗洁精', '垃圾袋', '保鲜膜', '牙膏', '洗发水', '沐浴露', '湿巾'], specs: ['单件', '三件装', '囤货装'] },
  { id: 'baby', name: '母婴用品', icon: '🍼', color: '#ec407a', unit: '件', price: [1990, 19990], items: ['婴儿纸尿裤', '婴儿湿巾', '儿童牙膏', '米粉', '宝宝面条', '婴儿洗衣液', '儿童牛奶', '果泥', '奶瓶清洗剂', '儿童零食'], specs: ['单件', '两件装', '量贩装'] },
  { id: 'deli', name: '熟食冷菜', icon: '🍱', color: '#ffb300', unit: '份', price: [990, 4990], items: ['卤牛肉', '白切鸡', '酱鸭', '凉拌木耳', '糖醋小排', '烤鸭', '卤鸡爪', '夫妻肺片', '醉鸡', '素鸡'], specs: ['小份', '标准份', '大份'] },
];
