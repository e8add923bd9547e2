"""The chat page's look: a theme on fonts the reader's system has, readable widths on laptops,
stacked panels on phones."""

import gradio as gr

# System fonts only: Gradio's default web font is fetched from the network (never, here) and
# its bundled stand-in lacks some weights, so capitals came from another font mid-word. Each
# platform's own UI font, then the common Linux ones, keeps every glyph from one family.
FONTS = [
    "system-ui",
    "-apple-system",
    "Segoe UI",
    "Roboto",
    "Noto Sans",
    "Liberation Sans",
    "DejaVu Sans",
    "Arial",
    "sans-serif",
]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Consolas", "DejaVu Sans Mono", "monospace"]
THEME = gr.themes.Default(font=FONTS, font_mono=MONO_FONTS)

CSS = """
.gradio-container { max-width: 1320px !important; margin: 0 auto !important; }
#app-header h1 { font-size: 1.6rem; margin: 0.2rem 0 0; }
/* Gradio's subdued grey is 1.9:1 on white; this one meets WCAG's 4.5:1 in both modes. */
:root { --muted-text: #4b5563; }
.dark { --muted-text: #c9ced6; }
#app-header .app-tagline { margin: 0.2rem 0 0.4rem; color: var(--muted-text); }
/* The chat bubble sizes itself to its content: cap answers to the window so phones never
   scroll sideways. */
#chatbot .answer { max-width: calc(100vw - 90px); overflow-wrap: anywhere; }
#chatbot .answer-text { margin: 0 0 0.4rem; line-height: 1.5; }
#chatbot .cursor { opacity: 0.6; }
#chatbot a.cite-marker { text-decoration: none; font-weight: 600; color: var(--color-accent);
  padding: 0 1px; }
.sources-heading, .related-heading { font-size: 0.8rem; text-transform: uppercase;
  letter-spacing: 0.04em; color: var(--muted-text); margin: 0.5rem 0 0.3rem; }
.source-card, .related-card { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 0.5rem 0.7rem; margin: 0 0 0.5rem; background: var(--background-fill-primary);
  transition: box-shadow 0.3s; }
.source-card { border-left: 4px solid var(--color-accent); }
.source-card.flash { box-shadow: 0 0 0 3px var(--color-accent-soft); }
.related-card { border-style: dashed; opacity: 0.9; background: var(--background-fill-secondary); }
.card-head { display: flex; flex-wrap: wrap; gap: 0.35rem; align-items: baseline;
  font-size: 0.85rem; }
.card-n { display: inline-block; min-width: 1.4em; text-align: center; border-radius: 999px;
  background: var(--color-accent); color: white; font-weight: 700; font-size: 0.75rem; }
.related-tag { border: 1px dashed var(--muted-text); border-radius: 4px;
  padding: 0 4px; font-size: 0.7rem; text-transform: uppercase; }
.src-title { font-weight: 600; }
.src-meta { color: var(--muted-text); font-size: 0.8rem; }
.card-context { margin: 0.35rem 0; font-size: 0.9rem; line-height: 1.45; opacity: 0.85; }
.article-body { position: relative; }
mark.quote { background: #fff1a8; color: #1f2328; padding: 0 2px; border-radius: 2px; }
.card-foot { font-size: 0.8rem; }
.card-also { color: var(--muted-text); font-size: 0.8rem; }
.card-days { color: var(--muted-text); font-size: 0.8rem; }
.card-speaker { font-size: 0.75rem; padding: 0 0.45rem; border-radius: 999px;
  background: var(--color-accent-soft); border: 1px solid var(--color-accent); }
.card-speaker::before { content: "said by "; opacity: 0.7; }
.outlet-columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
  gap: 0.75rem; }
.outlet-column { border-top: 3px solid var(--color-accent); padding-top: 0.4rem; min-width: 0; }
.outlet-name { font-weight: 600; font-size: 0.95rem; margin-bottom: 0.25rem; }
.outlet-answer { margin: 0.2rem 0 0.5rem; }
.outlet-missing { font-size: 0.85rem; opacity: 0.8; font-style: italic; }
.timeline { list-style: none; margin: 0.5rem 0 0; padding: 0 0 0 1.1rem;
  border-left: 2px solid var(--color-accent); }
.timeline-stop { position: relative; margin: 0 0 0.75rem; }
.timeline-stop::before { content: ""; position: absolute; left: -1.5rem; top: 0.3rem;
  width: 0.7rem; height: 0.7rem; border-radius: 50%; background: var(--color-accent); }
.timeline-date { font-size: 0.8rem; font-weight: 600; letter-spacing: 0.02em;
  margin-bottom: 0.2rem; }
.abstain-text { font-style: italic; }
#article-viewer { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 0.5rem; }
#article-viewer .article-body { max-height: 55vh; overflow-y: auto; line-height: 1.55;
  padding-right: 0.4rem; }
#article-viewer h3 { margin: 0 0 0.2rem; }
.guide ul { padding-left: 1.1rem; margin: 0.3rem 0; }
.guide li { margin-bottom: 0.35rem; font-size: 0.9rem; }
.guide-label { font-size: 0.8rem; text-transform: uppercase; margin-top: 0.4rem;
  color: var(--muted-text); }
.suggested-btn, .example-btn { white-space: normal !important; text-align: left !important;
  justify-content: flex-start !important; }
.guide-summary li { border-left: 3px solid var(--border-color-primary); padding-left: 0.4rem;
  list-style: none; }
.ingest-fail { color: var(--error-text-color, #b42318); }
.ingest-fail-title { font-weight: 600; margin-top: 0.3rem; }
.hint p { font-size: 0.85rem; color: var(--muted-text); margin: 0.2rem 0; }
.article-table { width: 100%; border-collapse: collapse; font-size: 0.85rem; }
.article-table th, .article-table td { text-align: left; padding: 0.3rem 0.4rem;
  border-bottom: 1px solid var(--border-color-primary); vertical-align: top; }
.article-table .num { text-align: right; }
.article-table .date { white-space: nowrap; }
/* A date kept on one line must not widen a phone's page: the table scrolls in its box. */
.table-scroll { max-width: 100%; overflow-x: auto; }
#table-tools, #table-pager { flex-wrap: nowrap; align-items: center; gap: 0.4rem; }
#table-pager > * { flex: 0 0 auto !important; }
#table-pager #pager-label { flex: 1 1 auto !important; text-align: center; font-size: 0.85rem; }
#question-count:has(.count:empty) { display: none; }
#question-count .count { display: block; text-align: right; font-size: 0.8rem;
  color: var(--muted-text); }
#question-count .count:empty { display: none; }
#question-count .count.over { color: #b42318; font-weight: 600; }
.read-as { font-size: 0.8rem; color: var(--muted-text); margin: 0 0 0.3rem; }
.corroboration { font-size: 0.8rem; color: var(--muted-text); margin: 0.4rem 0 0; }
.related-box summary { cursor: pointer; }
.upload-refused { color: #b42318; }
/* Gradio's jump-to-latest button sits over the middle of the last card; a corner keeps the
   card titles readable. */
#chatbot .scroll-down-button-container { left: auto !important; right: 8px !important;
  transform: none !important; bottom: 8px !important; }
#tools-row, #actions-row { flex-wrap: wrap; }
/* Dropdown inputs grow with long article titles; keep them inside the panel. */
#side-panel { max-width: 100%; }
#side-panel .wrap-inner, #side-panel .secondary-wrap, #side-panel input { min-width: 0 !important; }
#side-panel input { width: 100%; text-overflow: ellipsis; }
@media (max-width: 640px) {
  #tools-row > * { flex: 1 1 100% !important; }
  #app-header h1 { font-size: 1.3rem; }
  .article-table .num { display: none; }
  .gradio-container { padding: 0 6px !important; }
}
"""
