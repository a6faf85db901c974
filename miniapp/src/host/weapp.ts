import Taro from '@tarojs/taro';
import type { Host } from './types';

/** The super-app mini-program host. */
export const weappHost: Host = {
  target: 'weapp',
  apiBase: `${LINLI_BFF_URL}/api/v1`,
  async loginCode() {
    const r = await Taro.login();
    return r.code;
  },
  async pay(payment) {
    try {
      await Taro.requestPayment({
        timeStamp: String(payment.timeStamp ?? ''),
        nonceStr: String(payment.nonceStr ?? ''),
        package: String(payment.package ?? `prepay_id=${payment.prepayId}`),
        signType: (payment.signType as 'RSA') ?? 'RSA',
        paySign: String(payment.paySign ?? ''),
      });
      return 'paid';
    } catch {
      return 'cancelled';
    }
  },
  async scan() {
    try {
      const r = await Taro.scanCode({ onlyFromCamera: false });
      return r.result;
    } catch {
      return null;
    }
  },
  async requestSubscribe(templateIds) {
    try {
      const r = (await Taro.requestSubscribeMessage({ tmplIds: templateIds, entityIds: [] } as never)) as unknown as Record<string, string>;
      return templateIds.filter((id) => r[id] === 'accept');
    } catch {
      return [];
    }
  },
  async openMap(place) {
    await Taro.openLocation({ latitude: place.lat, longitude: place.lng, name: place.name, address: place.address, scale: 17 });
  },
  async call(phone) {
    await Taro.makePhoneCall({ phoneNumber: phone });
  },
  // The host's address book gives name, phone and address text; the map pin gives the coordinates.
  async chooseAddress() {
    try {
      const a = await Taro.chooseAddress();
      const pin = await Taro.chooseLocation({});
      return {
        name: a.userName,
        phone: a.telNumber,
        address: `${a.provinceName}${a.cityName}${a.countyName}${a.detailInfo}`,
        detail: '',
        lat: pin.latitude,
        lng: pin.longitude,
      };
    } catch {
      return null;
    }
  },
  async saveImage(url) {
    try {
      const file = await Taro.downloadFile({ url });
      if (file.statusCode !== 200) return 'failed';
      await Taro.saveImageToPhotosAlbum({ filePath: file.tempFilePath });
      return 'saved';
    } catch (e) {
      // Refused once, the album permission is only given again from the settings page.
      if (/auth deny|auth denied|authorize/i.test(String((e as { errMsg?: string }).errMsg ?? e))) {
        const r = await Taro.showModal({ title: '需要相册权限', content: '保存海报需要允许访问相册', confirmText: '去设置' });
        if (r.confirm) await Taro.openSetting();
        return 'denied';
      }
      return 'failed';
    }
  },
  // Sharing on weapp is the page's share button + useShareAppMessage; this only reports the path.
  async share(path) {
    return path;
  },
};
