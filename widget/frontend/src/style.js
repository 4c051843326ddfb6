// Styles live inside the Shadow DOM: the shop's CSS cannot reach in, and ours cannot leak out.
export const CSS = `
:host{all:initial}
*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:14px;line-height:1.4;margin:0;padding:0;border:0;color:#111}
button{cursor:pointer;background:none;font:inherit}
button:focus-visible,textarea:focus-visible,select:focus-visible,a:focus-visible{outline:2px solid var(--brand);outline-offset:2px}
.launcher{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;background:var(--brand);box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483646;display:flex;align-items:center;justify-content:center}
.launcher svg{width:28px;height:28px;fill:#fff}
.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;border-radius:10px;background:#dc2626;color:#fff;font-size:12px;font-weight:700;display:flex;align-items:center;justify-content:center;padding:0 5px}
.panel{position:fixed;right:20px;bottom:88px;width:370px;height:min(600px,calc(100vh - 110px));background:#fff;border-radius:14px;box-shadow:0 8px 30px rgba(0,0,0,.25);z-index:2147483647;display:flex;flex-direction:column;overflow:hidden}
.panel[hidden],.launcher[hidden],.badge[hidden],.teaser[hidden]{display:none}
.teaser{position:fixed;right:20px;bottom:86px;max-width:260px;display:flex;align-items:flex-start;gap:4px;background:#fff;color:#111;border-radius:12px;box-shadow:0 4px 14px rgba(0,0,0,.2);padding:10px 8px 10px 12px;z-index:2147483646;font:14px/1.4 system-ui,sans-serif}
.teaser .tx{all:unset;cursor:pointer;flex:1}
.teaser .tclose{all:unset;cursor:pointer;color:#666;padding:0 4px}
header{background:var(--brand);display:flex;align-items:center;gap:10px;padding:12px 14px}
header *{color:#fff}
header img{width:32px;height:32px;border-radius:50%;background:#fff}
header h2{flex:1;font-size:16px;font-weight:600}
header button{font-size:22px;line-height:1;padding:2px 6px}
.status{font-size:12px;padding:6px 14px;background:#fef3c7}
.status[hidden]{display:none}
.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:8px;background:#f8fafc}
.msg{max-width:82%;padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere}
.bot,.agent{align-self:flex-start;background:#fff;border:1px solid #e2e8f0}
.shopper{align-self:flex-end;background:var(--brand);color:#fff}
.shopper.pending{opacity:.6}
.author{font-size:11px;color:#64748b;align-self:flex-start}
.system{align-self:center;font-size:12px;color:#64748b}
.msg img.pic{display:block;max-width:100%;border-radius:8px;margin-top:6px}
.replies{display:flex;flex-wrap:wrap;gap:6px}
.replies button{border:1px solid var(--brand);color:var(--brand);border-radius:16px;padding:5px 12px;background:#fff}
.cards{display:flex;gap:10px;overflow-x:auto;scroll-snap-type:x mandatory;padding-bottom:4px;max-width:100%}
.card{flex:0 0 190px;scroll-snap-align:start;background:#fff;border:1px solid #e2e8f0;border-radius:10px;overflow:hidden;display:flex;flex-direction:column}
.card img{width:100%;height:130px;object-fit:cover;background:#f1f5f9}
.card .body{padding:8px;display:flex;flex-direction:column;gap:4px;flex:1}
.card h3{font-size:13px;font-weight:600}
.card .price{font-weight:700}
.card .stock{font-size:12px;color:#15803d}
.card .stock.out{color:#b91c1c}
.card select{border:1px solid #cbd5e1;border-radius:6px;padding:3px}
.card .actions{display:flex;gap:6px;margin-top:auto}
.card .actions a,.card .actions button{flex:1;text-align:center;border-radius:6px;padding:5px;font-size:12px;text-decoration:none}
.card .actions a{border:1px solid #cbd5e1}
.card .actions button{background:var(--brand);color:#fff}
.card .actions button:disabled{opacity:.5;cursor:default}
.typing{font-size:12px;color:#64748b;padding:0 14px 4px;min-height:18px}
form{display:flex;gap:8px;padding:10px;border-top:1px solid #e2e8f0}
textarea{flex:1;resize:none;border:1px solid #cbd5e1;border-radius:10px;padding:8px;height:40px;max-height:120px}
form button{background:var(--brand);color:#fff;border-radius:10px;padding:0 14px}
@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;height:100%;border-radius:0}}
`;
