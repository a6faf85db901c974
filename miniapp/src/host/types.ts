/** What differs between the super-app (weapp) and a browser (h5). */
export interface PaymentParams {
  prepayId: string;
  timeStamp?: string;
  nonceStr?: string;
  package?: string;
  signType?: string;
  paySign?: string;
  [k: string]: unknown;
}
export type PayOutcome = 'paid' | 'cancelled' | 'redirected';

/** A place to show on a map (a store). */
export interface MapPlace {
  lat: number;
  lng: number;
  name: string;
  address: string;
}

export interface Host {
  target: 'weapp' | 'h5';
  /** The API's base URL (absolute on weapp, same-origin on h5). */
  apiBase: string;
  /** A one-time login code from the host; on h5 for a chosen demo openid. */
  loginCode(openid?: string): Promise<string>;
  /** Pays with the host wallet; on h5 leaves the page for the mock wallet and comes back to `returnPath`. */
  pay(payment: PaymentParams, returnPath: string): Promise<PayOutcome>;
  /** Scans a code with the camera; null when the host has no scanner or the user cancelled. */
  scan(): Promise<string | null>;
  /** Makes a link to a page others can open (h5: copies it). Returns the link or path shared. */
  share(path: string, title: string): Promise<string>;
  /**
   * Asks the user to allow subscription messages of these templates; answers the ones accepted
   * (weapp: Taro.requestSubscribeMessage; h5: the mock host's dev surface stands in for the tap).
   */
  requestSubscribe(templateIds: string[], openid?: string): Promise<string[]>;
  /** Shows a place on a map the user can navigate with (weapp: openLocation; h5: a map site in a new tab). */
  openMap(place: MapPlace): Promise<void>;
  /** Calls a phone number (the host's dialer). */
  call(phone: string): Promise<void>;
  /**
   * weapp only: an address from the host's address book (chooseAddress) pinned on the map
   * (chooseLocation, for its coordinates); null when the user cancelled. h5 uses the form instead.
   */
  chooseAddress?(): Promise<{ name: string; phone: string; address: string; detail: string; lat: number; lng: number } | null>;
  /**
   * Keeps an image (a poster) on the phone: weapp downloads it and saves it to the album (asking for
   * the album permission, or pointing to the settings when it was refused); h5 downloads the file.
   */
  saveImage?(url: string, fileName: string): Promise<'saved' | 'denied' | 'downloaded' | 'failed'>;
  /** h5 only: a one-time getPhoneNumber code from the mock dev surface. */
  devPhoneCode?(openid: string, phone: string): Promise<string>;
}
