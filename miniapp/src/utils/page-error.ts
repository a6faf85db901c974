import { ApiError } from '../services/api-core';

/** What a page shows when loading failed: the text, and whether it is a dead link (then: a way home, no retry). */
export interface PageError {
  text: string;
  notFound: boolean;
}

/**
 * Turns a load failure into the page's message. A missing thing (404) or a malformed id in the link
 * (400) is a dead end worth saying plainly (`what` names it: 这个团, 这个订单…); anything else keeps
 * the API client's Chinese message and may be retried.
 */
export function pageError(e: unknown, what: string): PageError {
  if (e instanceof ApiError && (e.status === 404 || e.status === 400)) {
    return { text: `${what}不存在，可能链接有误或已失效`, notFound: true };
  }
  return { text: e instanceof Error && e.message ? e.message : '出错了，请稍后再试', notFound: false };
}

/** The message for a link that lacks the id it needs. */
export function missingId(what: string): PageError {
  return { text: `${what}不存在，可能链接有误或已失效`, notFound: true };
}
