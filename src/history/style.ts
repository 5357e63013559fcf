/**
 * The history view's one style sheet, inline in every page (the CSP allows inline styles and
 * nothing else): screen, phone width, and print — where navigation and forms go, links read as
 * text, and each page's citation line repeats in the page margin (see `printRules`).
 */
import { cssString } from "./cite.js";

export const STYLE = `
:root{--fg:#1b1b1b;--muted:#595959;--line:#d0d0d0;--bg:#fff;--soft:#f4f4f2;--accent:#0b57a4;--del-bg:#fde4e4;--del-fg:#8b1111;--ins-bg:#dcf3df;--ins-fg:#0d5a1c;--focus:#ffbf47;--sub:#b35c00;--minor:#5b7fc0;--added:#1d7a35;--removed:#b3261e;--moved:#7446b3;--same:#d9d9d6}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:anywhere}
a{color:var(--accent)}
a:focus-visible,summary:focus-visible,button:focus-visible,select:focus-visible,input:focus-visible,[tabindex]:focus-visible{outline:3px solid var(--focus);outline-offset:2px;box-shadow:0 0 0 5px var(--fg)}
svg a:focus-visible{outline:none}
svg a:focus-visible rect{stroke:var(--fg);stroke-width:3}
.skip{position:absolute;left:-9999px;top:0;background:var(--fg);color:#fff;padding:.5rem 1rem;z-index:1}
.skip:focus{left:0}
header.site,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}
header.site{border-bottom:1px solid var(--line);padding-top:.5rem;padding-bottom:.5rem}
header.site ol{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .5rem}
header.site li+li::before{content:"›";margin-right:.5rem;color:var(--muted)}
footer{border-top:1px solid var(--line);margin-top:2rem;padding-top:.75rem;padding-bottom:1.5rem;color:var(--muted);font-size:.875rem}
h1{font-size:1.6rem;line-height:1.25;margin:1rem 0 .5rem}
h2{font-size:1.25rem;margin:1.75rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
h3{font-size:1.05rem;margin:0 0 .35rem}
.muted{color:var(--muted)}
.small{font-size:.875rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.875em;overflow-wrap:anywhere}
.badge{display:inline-block;border:1px solid var(--line);border-radius:.75rem;padding:.05rem .55rem;font-size:.8rem;line-height:1.35rem;background:var(--soft);margin:0 .25rem .25rem 0;max-width:100%;vertical-align:middle;overflow-wrap:break-word}
.sev-substantive{background:#fff0d6;border-color:#c77c00}
.sev-minor{background:#eef4ff;border-color:#7a9bd1}
.reported{background:#f3e8ff;border-color:#8a5cc2}
.broken,.failed{background:#fde4e4;border-color:#b33}
.ok{background:#e4f5e7;border-color:#3a8a4a}
del{background:var(--del-bg);color:var(--del-fg);text-decoration:line-through}
ins{background:var(--ins-bg);color:var(--ins-fg);text-decoration:underline}
mark{background:#ffe37a;color:inherit;padding:0 .1em}
.card{border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0;background:var(--bg)}
.card:target{border-color:var(--accent);box-shadow:0 0 0 3px #cfe0f5}
.timeline{list-style:none;padding:0;margin:0}
.timeline>li{border-left:3px solid var(--accent);padding:.25rem 0 .25rem 1rem;margin:0 0 1rem .25rem}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:.75rem;margin:.5rem 0}
.sides>div{background:var(--soft);border-radius:.35rem;padding:.5rem .75rem;min-width:0}
.sides>section{min-width:0}
.sides h4,.inline h4,.where h4{margin:0 0 .25rem;font-size:.85rem;color:var(--muted)}
.where{display:flex;flex-wrap:wrap;gap:0 .5rem;align-items:baseline}
.where h4{margin:0}
.text{white-space:pre-wrap;margin:0}
.inline{margin:.5rem 0}
.anchor{font-weight:400;font-size:.85rem;margin-left:.35rem;text-decoration:none}
details{margin:.75rem 0;border:1px solid var(--line);border-radius:.5rem;padding:.5rem .75rem}
summary{cursor:pointer;font-weight:600}
ol.clauses{list-style:none;padding:0;margin:.5rem 0}
ol.clauses li{padding:.25rem 0;border-top:1px solid var(--soft)}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .75rem;margin:.5rem 0}
dl.meta dt{color:var(--muted)}
dl.meta dd{margin:0;min-width:0}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;min-width:34rem;font-size:.9rem}
th,td{text-align:left;border-bottom:1px solid var(--line);padding:.35rem .5rem;vertical-align:top}
th{background:var(--soft)}
blockquote{margin:.5rem 0;padding:.25rem .75rem;border-left:3px solid #8a5cc2;background:#faf6ff}
form.pick,form.filter,form.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.5rem 0}
form.pick label,form.search label{display:flex;flex-direction:column;font-size:.875rem}
form.filter fieldset{border:1px solid var(--line);border-radius:.35rem;margin:0;padding:.25rem .6rem;min-width:0}
form.filter legend{font-size:.85rem;color:var(--muted)}
form.filter label{display:inline-flex;gap:.25rem;align-items:center;margin-right:.6rem;font-size:.9rem;min-height:2rem}
form.search input[type=search]{font:inherit;padding:.3rem .5rem;min-height:2.5rem;width:min(28rem,80vw)}
select,button{font:inherit;padding:.3rem .5rem;min-height:2.5rem}
.permalink{word-break:break-all}
.quick{display:flex;flex-wrap:wrap;gap:.25rem .75rem;margin:.25rem 0;padding:0;list-style:none;font-size:.9rem}
nav.pager{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline;margin:.5rem 0}
.cite{font-size:.85rem;background:var(--soft);border-radius:.35rem;padding:.4rem .6rem;font-variant-ligatures:none}
.doc{margin:.5rem 0}
.doc .clause{margin:0;padding:.2rem 0 .2rem calc(var(--depth,0) * 1.25rem);border-top:1px solid var(--soft)}
.doc .clause:target{background:#fff8d6}
.doc .clause .label{font-weight:600;margin-right:.35rem;text-decoration:none}
.doc .clause .tl{font-size:.8rem;margin-left:.35rem}
.doc .heading{font-weight:700;font-size:1.05rem;padding-top:.6rem}
.doc .context{color:var(--muted);font-size:.9rem;border-left:3px dotted var(--line);padding-left:calc(var(--depth,0) * 1.25rem + .5rem)}
.doc .context::before{content:"page text · ";font-size:.75rem;text-transform:uppercase;letter-spacing:.03em}
.d1{--depth:1}.d2{--depth:2}.d3{--depth:3}.d4{--depth:4}.d5{--depth:5}.d6{--depth:6}
.map{display:flex;align-items:flex-start;max-width:100%;border:1px solid var(--line);border-radius:.35rem;background:var(--bg)}
.map .labels{flex:none;border-right:1px solid var(--line);background:var(--bg)}
.map .scroll{flex:1 1 auto;min-width:0}
svg{display:block}
svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;fill:var(--fg)}
svg .axis{font-size:11px;fill:var(--muted)}
svg .lbl{font-size:12px}
svg .lbl.context{fill:var(--muted);font-style:italic}
svg .glyph{font-size:11px;font-weight:700;text-anchor:middle;pointer-events:none}
svg .stripe{fill:var(--soft)}
.s-base,.s-unchanged{fill:var(--same)}
.s-base{fill:#ecece9}
.s-reworded{fill:var(--minor)}
.s-substantive{fill:var(--sub)}
.s-added{fill:var(--added)}
.s-removed{fill:var(--removed)}
.s-moved{fill:var(--moved)}
svg .glyph.light{fill:#fff}
.bar-v{fill:var(--accent)}
.bar-m{fill:#8a5cc2}
ul.legend{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;font-size:.875rem}
ul.legend li{display:inline-flex;align-items:center;gap:.35rem}
ul.legend svg,figure.chart figcaption svg{display:inline-block}
figure.chart{margin:.5rem 0}
.hits>li{margin-bottom:.75rem}
@media (max-width:40rem){
 .sides{grid-template-columns:1fr}
 dl.meta{grid-template-columns:1fr}
 dl.meta dt{margin-top:.35rem}
 h1{font-size:1.35rem}
 .doc .clause{padding-left:calc(var(--depth,0) * .75rem)}
}
@media print{
 :root{--accent:#1b1b1b}
 html,body{font-size:10.5pt;background:#fff;font-variant-ligatures:none;font-feature-settings:"liga" 0,"clig" 0}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 .skip,details.filters,form,form.pick,form.filter,form.search,nav.pager,ul.quick,.no-print,header.site,footer,.anchor,.doc .clause .tl{display:none}
 main{max-width:none;padding:0}
 a{color:inherit;text-decoration:none}
 h1,h2,h3{break-after:avoid}
 .card,.doc .clause,blockquote,dl.meta{break-inside:avoid}
 .card{border-color:#999;box-shadow:none}
 details{border:0;padding:0}
 .scroll{overflow:visible}
 .map{border:0}
 .sides{grid-template-columns:1fr 1fr}
 ins{text-decoration:underline}
 del{text-decoration:line-through}
}
`;

/**
 * The page box for print: A4 with the citation lines in the bottom margin of every page (CSS
 * margin boxes, which Chromium draws in its print preview and in print-to-PDF alike) and the page
 * number at the right; the title at the top.
 */
export function printRules(title: string, citations: string[]): string {
  if (citations.length === 0) return "";
  const margin = 12 + 5 * citations.length;
  return `@page{size:A4;margin:16mm 14mm ${margin}mm;@top-left{content:${cssString(title)};font:8pt system-ui,sans-serif;color:#595959}@bottom-left{content:${cssString(
    citations.map((line) => `Cite: ${line}`).join("\n"),
  )};white-space:pre-wrap;font:7.5pt/1.3 system-ui,sans-serif;font-variant-ligatures:none;font-feature-settings:"liga" 0,"clig" 0;color:#1b1b1b;vertical-align:top;padding-top:3mm}@bottom-right{content:"Page " counter(page) " of " counter(pages);font:7.5pt system-ui,sans-serif;color:#595959;vertical-align:top;padding-top:3mm;width:22mm}}`;
}
