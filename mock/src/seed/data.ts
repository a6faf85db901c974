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

/** One catalog item: its name, its picture and what its smallest spec costs. */
export interface ItemSeed {
  name: string;
  /** An icon of the Fluent Emoji Flat set (MIT), e.g. `red-apple`. */
  icon: string;
  /** The icon shows this very thing; otherwise it stands in, and the picture also carries the name. */
  exact?: true;
  /** Chain price of the smallest spec, in cents (what a shop of this kind would ask). */
  priceCents: number;
}

/** A pack size of every item of a category, from the smallest up. */
export interface SpecSeed {
  name: string;
  /** How many smallest specs it holds; absent for a premium pack (a gift box) that is no multiple. */
  qty?: number;
  /** Its price as a multiple of the smallest spec's (before shop rounding). */
  factor: number;
}

export interface CategorySeed {
  id: string;
  name: string;
  icon: string;
  color: string;
  unit: string;
  items: ItemSeed[];
  specs: SpecSeed[];
}

const item = (name: string, icon: string, priceCents: number, exact = false): ItemSeed => (exact ? { name, icon, exact, priceCents } : { name, icon, priceCents });

// Pack ladders: two of a thing cost 1.8–1.9 times one, bigger packs a little less per unit, a gift
// box a premium. Spec names stay as they were: they are part of the product titles (and ids).

export const CATEGORIES: CategorySeed[] = [
  {
    id: 'fruit', name: '新鲜水果', icon: '🍎', color: '#f06a5b', unit: '份',
    specs: [{ name: '500g', qty: 1, factor: 1 }, { name: '1kg', qty: 2, factor: 1.85 }, { name: '精选礼盒', factor: 3.6 }],
    items: [
      item('红富士苹果', 'red-apple', 690, true), item('赣南脐橙', 'tangerine', 590, true), item('海南香蕉', 'banana', 390, true),
      item('阳光玫瑰葡萄', 'grapes', 1990, true), item('丹东草莓', 'strawberry', 2990, true), item('麒麟西瓜', 'watermelon', 290, true),
      item('库尔勒香梨', 'pear', 690, true), item('徐香猕猴桃', 'kiwi-fruit', 890, true), item('台农芒果', 'mango', 790, true),
      item('云南蓝莓', 'blueberries', 3990, true),
    ],
  },
  {
    id: 'veg', name: '时令蔬菜', icon: '🥬', color: '#4caf50', unit: '份',
    specs: [{ name: '300g', qty: 1, factor: 1 }, { name: '500g', qty: 5 / 3, factor: 1.6 }, { name: '家庭装', qty: 10 / 3, factor: 3 }],
    items: [
      item('上海青', 'leafy-green', 290, true), item('西兰花', 'broccoli', 490, true), item('番茄', 'tomato', 390, true),
      item('黄瓜', 'cucumber', 290, true), item('土豆', 'potato', 250, true), item('胡萝卜', 'carrot', 250, true),
      item('菠菜', 'leafy-green', 390), item('杏鲍菇', 'brown-mushroom', 490), item('玉米', 'ear-of-corn', 390, true),
      item('山药', 'ginger-root', 590),
    ],
  },
  {
    id: 'meat', name: '肉禽蛋品', icon: '🥩', color: '#c0392b', unit: '份',
    specs: [{ name: '300g', qty: 1, factor: 1 }, { name: '500g', qty: 5 / 3, factor: 1.6 }, { name: '量贩装', qty: 10 / 3, factor: 3.1 }],
    items: [
      item('黑猪五花肉', 'bacon', 2490), item('猪里脊', 'cut-of-meat', 1990), item('牛腱子', 'cut-of-meat', 3990),
      item('羔羊排', 'meat-on-bone', 3990), item('三黄鸡', 'chicken', 1290), item('鸡翅中', 'poultry-leg', 1990),
      item('土鸡蛋', 'egg', 990, true), item('鸭胸肉', 'duck', 1290), item('猪肋排', 'meat-on-bone', 2990),
      item('肥牛卷', 'cut-of-meat', 2490),
    ],
  },
  {
    id: 'seafood', name: '水产海鲜', icon: '🦐', color: '#1e88e5', unit: '份',
    specs: [{ name: '250g', qty: 1, factor: 1 }, { name: '500g', qty: 2, factor: 1.85 }, { name: '冰鲜装', qty: 3, factor: 2.7 }],
    items: [
      item('基围虾', 'shrimp', 3490, true), item('大闸蟹', 'crab', 4990, true), item('鲈鱼', 'fish', 1990),
      item('带鱼段', 'fish', 1990), item('三文鱼', 'sushi', 4990), item('花蛤', 'spiral-shell', 890),
      item('鱿鱼须', 'squid', 1590, true), item('黄鱼', 'tropical-fish', 1990), item('扇贝肉', 'oyster', 2490),
      item('虾仁', 'fried-shrimp', 2990),
    ],
  },
  {
    id: 'dairy', name: '乳品烘焙', icon: '🥛', color: '#90a4ae', unit: '件',
    specs: [{ name: '单件', qty: 1, factor: 1 }, { name: '两件装', qty: 2, factor: 1.85 }, { name: '家庭装', qty: 4, factor: 3.5 }],
    items: [
      item('鲜牛奶', 'glass-of-milk', 1290, true), item('原味酸奶', 'bowl-with-spoon', 590), item('奶酪棒', 'cheese-wedge', 1990),
      item('全麦吐司', 'bread', 990, true), item('牛角包', 'croissant', 590, true), item('芝士蛋糕', 'shortcake', 1990),
      item('黄油', 'butter', 1990, true), item('希腊酸奶', 'bowl-with-spoon', 890), item('燕麦奶', 'sheaf-of-rice', 1490),
      item('豆浆', 'beans', 450),
    ],
  },
  {
    id: 'staple', name: '粮油调味', icon: '🍚', color: '#a1887f', unit: '袋',
    specs: [{ name: '小包装', qty: 1, factor: 1 }, { name: '标准装', qty: 2, factor: 1.85 }, { name: '大包装', qty: 5, factor: 4.2 }],
    items: [
      item('五常大米', 'cooked-rice', 3990), item('东北珍珠米', 'rice-ball', 2490), item('压榨花生油', 'peanuts', 2990),
      item('玉米油', 'ear-of-corn', 1990), item('生抽', 'jar', 990), item('老陈醋', 'sake', 890),
      item('挂面', 'steaming-bowl', 590), item('黄豆酱', 'beans', 690), item('蚝油', 'oyster', 890),
      item('冰糖', 'ice', 690),
    ],
  },
  {
    id: 'snack', name: '休闲零食', icon: '🍪', color: '#ff9800', unit: '包',
    specs: [{ name: '单包', qty: 1, factor: 1 }, { name: '分享装', qty: 3, factor: 2.6 }, { name: '量贩装', qty: 6, factor: 4.9 }],
    items: [
      item('每日坚果', 'chestnut', 490), item('薯片', 'potato', 790), item('牛肉干', 'cut-of-meat', 1990),
      item('海苔', 'rice-ball', 590), item('饼干', 'cookie', 690, true), item('巧克力', 'chocolate-bar', 990, true),
      item('话梅', 'cherries', 890), item('瓜子', 'sunflower', 990), item('果冻', 'custard', 890),
      item('麻花', 'pretzel', 690),
    ],
  },
  {
    id: 'drink', name: '酒水饮料', icon: '🧃', color: '#26a69a', unit: '瓶',
    specs: [{ name: '单瓶', qty: 1, factor: 1 }, { name: '六瓶装', qty: 6, factor: 5.3 }, { name: '整箱', qty: 24, factor: 19.5 }],
    items: [
      item('矿泉水', 'droplet', 190), item('橙汁', 'beverage-box', 590), item('可乐', 'cup-with-straw', 350),
      item('乌龙茶', 'teacup-without-handle', 450), item('椰子水', 'coconut', 790), item('苏打水', 'bubbles', 450),
      item('精酿啤酒', 'beer-mug', 1290, true), item('黄酒', 'sake', 1990), item('气泡水', 'bubbles', 550),
      item('柠檬茶', 'lemon', 450),
    ],
  },
  {
    id: 'frozen', name: '速冻食品', icon: '🥟', color: '#5c6bc0', unit: '袋',
    specs: [{ name: '单袋', qty: 1, factor: 1 }, { name: '两袋装', qty: 2, factor: 1.85 }, { name: '家庭装', qty: 4, factor: 3.5 }],
    items: [
      item('荠菜猪肉水饺', 'dumpling', 1990, true), item('虾仁馄饨', 'steaming-bowl', 2290), item('汤圆', 'dango', 1290),
      item('小笼包', 'dumpling', 1990), item('葱油饼', 'flatbread', 1290), item('鸡排', 'poultry-leg', 1990),
      item('披萨', 'pizza', 2490, true), item('牛肉丸', 'oden', 2990), item('手抓饼', 'flatbread', 1590),
      item('烧卖', 'dumpling', 1690),
    ],
  },
  {
    id: 'daily', name: '日用百货', icon: '🧻', color: '#8d6e63', unit: '件',
    specs: [{ name: '单件', qty: 1, factor: 1 }, { name: '三件装', qty: 3, factor: 2.7 }, { name: '囤货装', qty: 6, factor: 5 }],
    items: [
      item('抽纸', 'roll-of-paper', 990), item('卷纸', 'roll-of-paper', 1990, true), item('洗衣液', 'lotion-bottle', 3990),
      item('洗洁精', 'sponge', 1290), item('垃圾袋', 'wastebasket', 990), item('保鲜膜', 'package', 1290),
      item('牙膏', 'toothbrush', 1590), item('洗发水', 'lotion-bottle', 4990), item('沐浴露', 'soap', 3990),
      item('湿巾', 'roll-of-paper', 890),
    ],
  },
  {
    id: 'baby', name: '母婴用品', icon: '🍼', color: '#ec407a', unit: '件',
    specs: [{ name: '单件', qty: 1, factor: 1 }, { name: '两件装', qty: 2, factor: 1.85 }, { name: '量贩装', qty: 4, factor: 3.5 }],
    items: [
      item('婴儿纸尿裤', 'baby', 12990), item('婴儿湿巾', 'roll-of-paper', 1990), item('儿童牙膏', 'toothbrush', 2490),
      item('米粉', 'bowl-with-spoon', 5990), item('宝宝面条', 'steaming-bowl', 2990), item('婴儿洗衣液', 'lotion-bottle', 3990),
      item('儿童牛奶', 'glass-of-milk', 4990), item('果泥', 'red-apple', 1290), item('奶瓶清洗剂', 'baby-bottle', 3490),
      item('儿童零食', 'lollipop', 1990),
    ],
  },
  {
    id: 'deli', name: '熟食冷菜', icon: '🍱', color: '#ffb300', unit: '份',
    specs: [{ name: '小份', qty: 1, factor: 1 }, { name: '标准份', qty: 2, factor: 1.8 }, { name: '大份', qty: 3, factor: 2.55 }],
    items: [
      item('卤牛肉', 'cut-of-meat', 2990), item('白切鸡', 'poultry-leg', 2490), item('酱鸭', 'duck', 2990),
      item('凉拌木耳', 'green-salad', 990), item('糖醋小排', 'meat-on-bone', 2990), item('烤鸭', 'duck', 2990),
      item('卤鸡爪', 'poultry-leg', 1590), item('夫妻肺片', 'hot-pepper', 2490), item('醉鸡', 'sake', 2490),
      item('素鸡', 'bento-box', 890),
    ],
  },
];
