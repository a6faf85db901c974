import Router from '@koa/router';
import { BindCardBody, BindPhoneBody, CardSmsBody, MemberScanBody, MemberScanPreviewBody, PointsQuery } from '@linli/contracts';
import type { MemberService } from './member.service.js';
import { requireRole } from '../../common/auth.js';
import { parse } from '../../common/validate.js';

export function memberRoutes(members: MemberService): Router {
  const r = new Router();
  const member = () => members;
  const customer = requireRole('customer');

  r.get('/member', customer, async (ctx) => {
    ctx.body = await member().view(ctx.state.user!.id);
  });
  r.post('/member/phone', customer, async (ctx) => {
    const { code } = parse(BindPhoneBody, ctx.request.body);
    ctx.body = await member().bindPhone(ctx.state.user!.id, code);
  });
  r.post('/member/card/sms', customer, async (ctx) => {
    const { cardNo } = parse(CardSmsBody, ctx.request.body);
    ctx.body = await member().sendCardSms(ctx.state.user!.id, cardNo, ctx.ip);
  });
  r.post('/member/card', customer, async (ctx) => {
    const { cardNo, smsCode } = parse(BindCardBody, ctx.request.body);
    ctx.body = await member().bindCard(ctx.state.user!.id, cardNo, smsCode);
  });
  r.get('/member/code', customer, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await member().memberCode(ctx.state.user!.id);
  });
  r.get('/member/points', customer, async (ctx) => {
    const q = parse(PointsQuery, ctx.query, 'query');
    ctx.body = await member().pointsPage(ctx.state.user!.id, q.cursor, q.limit);
  });
  // requireRole('clerk') → preview: who and how many points, with a confirmation token → scan credits exactly that.
  r.post('/clerk/members/scan/preview', requireRole('clerk', 'admin'), async (ctx) => {
    const body = parse(MemberScanPreviewBody, ctx.request.body);
    ctx.body = await member().scanPreview(ctx.state.user!, body);
  });
  // requireRole('clerk') → scan checks the clerk's store scope → identify the member → credit once per receipt.
  r.post('/clerk/members/scan', requireRole('clerk', 'admin'), async (ctx) => {
    const body = parse(MemberScanBody, ctx.request.body);
    ctx.body = await member().scan(ctx.state.user!, body);
  });
  return r;
}
