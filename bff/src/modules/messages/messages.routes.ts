import Router from '@koa/router';
import { ConsentBody, DispatchBody } from '@linli/contracts';
import type { Config } from '../../config.js';
import type { MessagesService } from './messages.service.js';
import { requireAuth, requireInternalToken } from '../../common/auth.js';
import { parse } from '../../common/validate.js';

export function messagesRoutes(config: Config, messages: MessagesService): Router {
  const r = new Router();

  // After Taro.requestSubscribeMessage: the template ids the user accepted.
  r.post('/messages/consent', requireAuth, async (ctx) => {
    const body = parse(ConsentBody, ctx.request.body);
    ctx.body = { consents: await messages.consent.record(ctx.state.user!.id, body.templateIds) };
  });

  r.get('/messages/consent', requireAuth, async (ctx) => {
    ctx.body = { consents: await messages.consent.list(ctx.state.user!.id) };
  });

  // Cloud function `dispatch-messages`, every minute.
  r.post('/internal/messages/dispatch', requireInternalToken(config), async (ctx) => {
    const body = parse(DispatchBody, ctx.request.body ?? {});
    ctx.body = await messages.dispatch(body.limit);
  });

  return r;
}
