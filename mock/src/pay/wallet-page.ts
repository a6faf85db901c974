const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Only our own pages may be redirected to: http(s) URLs or absolute paths. */
export function safeRedirect(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length > 2000) return '';
  if (/^\/(?!\/)/.test(raw)) return raw;
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : '';
  } catch {
    return '';
  }
}

/** The h5 stand-in for the super-app's cashier: shows the amount, 确认支付 pays and goes back. */
export function walletPage(p: { prepayId: string; description: string; totalCents: number; paid: boolean; redirect: string }): string {
  const yuan = (p.totalCents / 100).toFixed(2);
  const data = JSON.stringify({ prepayId: p.prepayId, redirect: p.redirect }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>模拟支付</title>
<style>
body{font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f5f5f5;margin:0;padding:24px;color:#222}
.card{background:#fff;border-radius:12px;padding:24px;max-width:420px;margin:40px auto;text-align:center}
.amount{font-size:40px;font-weight:600;margin:16px 0}.desc{color:#666}
button{width:100%;padding:14px;border:0;border-radius:8px;font-size:17px;margin-top:12px}
#pay{background:#07c160;color:#fff}#back{background:#eee}#msg{color:#c00;min-height:1.5em;margin-top:12px}
</style></head><body>
<div class="card">
<div class="desc">模拟钱包 · 开发环境</div>
<div class="amount">¥${yuan}</div>
<div class="desc">${esc(p.description)}</div>
${p.paid ? '<p>该订单已支付</p>' : '<button id="pay">确认支付</button>'}
<button id="back">返回商户</button>
<div id="msg"></div>
</div>
<script>
const d = ${data};
const back = (q) => { if (d.redirect) location.href = d.redirect + (d.redirect.includes('?') ? '&' : '?') + q; };
document.getElementById('back').onclick = () => back('paid=0');
const pay = document.getElementById('pay');
if (pay) pay.onclick = async () => {
  pay.disabled = true; pay.textContent = '支付中…';
  const r = await fetch('/dev/pay/confirm', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ prepayId: d.prepayId }) });
  if (r.ok) { pay.textContent = '支付成功'; setTimeout(() => back('paid=1'), 400); }
  else { pay.disabled = false; pay.textContent = '确认支付'; document.getElementById('msg').textContent = '支付失败，请重试'; }
};
</script></body></html>`;
}
