// The banner's stylesheet, shipped inside consent.js so the widget stays one file. Everything is scoped
// under #cg-banner; "Refuse all" and "Accept all" share one rule so neither can look more inviting.
// The floating button (#cg-fab) draws its focus ring inside its own white face, whatever the page behind it.
// Colours: #1a1a1a on #fff (17:1), #404040 on #fff (10:1), focus ring #0b57d0 (6.6:1 on white).
export const CSS = `#cg-banner{position:fixed;z-index:2147483647;left:50%;bottom:1rem;transform:translateX(-50%);\
width:calc(100% - 2rem);max-width:40rem;max-height:calc(100vh - 2rem);overflow:auto;box-sizing:border-box;\
padding:1.25rem;background:#fff;color:#1a1a1a;border:1px solid #1a1a1a;border-radius:8px;\
box-shadow:0 8px 32px rgba(0,0,0,.3);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;text-align:left}
#cg-banner *{box-sizing:border-box;margin:0;font:inherit;color:inherit;letter-spacing:normal}
#cg-banner h2{margin:0 2.5rem .5rem 0;font-size:1.15em;font-weight:700}
#cg-banner h2:focus{outline:0}
#cg-banner p{margin-bottom:1rem}
#cg-banner a{text-decoration:underline}
#cg-banner .cg-row{display:flex;flex-wrap:wrap;gap:.5rem}
#cg-banner .cg-btn{flex:1 1 9rem;min-height:44px;padding:.5rem 1rem;border:2px solid #1a1a1a;border-radius:6px;\
background:#1a1a1a;color:#fff;font-weight:600;cursor:pointer}
#cg-banner .cg-alt{background:#fff;color:#1a1a1a}
#cg-banner #cg-close{position:absolute;top:.5rem;right:.5rem;width:44px;height:44px;border:0;background:none;\
font-size:1.75rem;line-height:1;cursor:pointer}
#cg-banner :focus-visible,#cg-fab:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
#cg-fab{position:fixed;z-index:2147483646;left:1rem;bottom:1rem;margin:0;min-height:44px;padding:.5rem .75rem;\
border:2px solid #1a1a1a;border-radius:6px;background:#fff;color:#1a1a1a;font:600 14px/1.2 system-ui,sans-serif;\
cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3)}
#cg-fab:focus-visible{outline-offset:-7px}
#cg-banner .cg-purpose{display:grid;grid-template-columns:auto 1fr;gap:.25rem .75rem;align-items:center;\
padding:.75rem 0;border-top:1px solid #767676}
#cg-banner .cg-purpose input{width:1.25rem;height:1.25rem;accent-color:#1a1a1a}
#cg-banner .cg-purpose label{font-weight:600}
#cg-banner .cg-purpose p{grid-column:2;margin:0;color:#404040;font-size:.9em}
#cg-banner [hidden]{display:none}
@media (max-width:30rem){#cg-banner{bottom:0;width:100%;border-radius:0}}`;

/** Puts the stylesheet in the page once, with the page's CSP nonce when it has one. */
export function injectStyle(doc, nonce) {
  if (doc.getElementById('cg-style')) return;
  const style = doc.createElement('style');
  style.id = 'cg-style';
  style.textContent = CSS;
  if (nonce) style.nonce = nonce;
  doc.head.append(style);
}
