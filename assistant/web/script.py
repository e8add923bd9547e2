"""The chat page's browser-side behaviour: links inside answers, where the chat scrolls to, the
question's character counter, and the upload size check. Gradio runs PAGE_JS once on load."""

PAGE_JS = """
() => {
  // Clicks inside rendered answers: [n] scrolls to its card; "Open article" asks the server for
  // the article through a hidden textbox + button (chat HTML cannot call Python directly).
  const send = (payload) => {
    const box = document.querySelector('#article-request textarea, #article-request input');
    if (!box) return;
    box.value = JSON.stringify({...payload, nonce: Date.now()});
    box.dispatchEvent(new Event('input', {bubbles: true}));
    setTimeout(() => document.querySelector('#article-open-btn')?.click(), 60);
  };
  document.addEventListener('click', (ev) => {
    const link = ev.target.closest('a[href^="#open:"], a[href^="#source:"]');
    if (!link) return;
    ev.preventDefault();
    const parts = link.getAttribute('href').slice(1).split(':');
    if (parts[0] === 'open') {
      send({id: parts[1], start: +parts[2] || 0, end: +parts[3] || 0});
    } else {
      const card = link.closest('.answer')?.querySelector(`.source-card.source-${+parts[1]}`);
      if (card) {
        card.scrollIntoView({block: 'nearest', behavior: 'smooth'});
        card.classList.add('flash');
        setTimeout(() => card.classList.remove('flash'), 1500);
      }
    }
  }, true);

  // Where the chat scrolls: a new answer shows from its first line (with its question when both
  // fit), never from the bottom of its last source card; and the page itself scrolls the answer
  // into view when the question came from elsewhere (a suggestion below the chat on a phone).
  let shown = {count: 0, final: false};
  const reveal = () => {
    const log = document.querySelector('#chatbot .bubble-wrap');
    const answers = log ? log.querySelectorAll('.answer') : [];
    if (!answers.length) { shown = {count: 0, final: false}; return; }
    const last = answers[answers.length - 1];
    const final = !last.classList.contains('streaming');
    if (answers.length === shown.count && final === shown.final) return;
    shown = {count: answers.length, final};
    const row = last.closest('.message-row') || last;
    const question = [...log.querySelectorAll('.question-text')].pop();
    const base = log.getBoundingClientRect().top - log.scrollTop;
    let top = row.getBoundingClientRect().top - base;
    if (question) {
      const qRow = question.closest('.message-row') || question;
      const qTop = qRow.getBoundingClientRect().top - base;
      if (qTop <= top && top - qTop < log.clientHeight * 0.4) top = qTop;
    }
    log.scrollTop = Math.max(0, top - 8);
    const line = (last.querySelector('p') || last).getBoundingClientRect();
    if (line.top < 0 || line.bottom > window.innerHeight) {
      window.scrollBy({top: line.top - Math.min(120, window.innerHeight / 4), behavior: 'instant'});
    }
  };
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; reveal(); });
  }).observe(document.body, {subtree: true, childList: true, characterData: true});

  // Character counter: shown as the question nears the limit, red past it.
  document.addEventListener('input', (ev) => {
    if (!ev.target.closest || !ev.target.closest('#question')) return;
    const counter = document.querySelector('#question-count .count');
    if (!counter) return;
    const max = +counter.dataset.max || 0;
    const n = ev.target.value.length;
    const shown = (x) => x.toLocaleString('en');
    counter.textContent = max && n > max * 0.8 ? `${shown(n)} / ${shown(max)}` : '';
    counter.classList.toggle('over', max > 0 && n > max);
  }, true);

  // Upload size: a file over the limit is refused here, with one message, before it is sent
  // (the server's own limit stays as the backstop); the other files go ahead.
  const tooBig = (files) => {
    const note = document.querySelector('#upload-limit');
    const max = note ? +note.dataset.bytes : 0;
    return max ? [...files].filter((f) => f.size > max) : [];
  };
  const explain = (big) => {
    const note = document.querySelector('#upload-limit');
    const mb = (note?.dataset.mb) || '';
    const names = big.map((f) => `${f.name} (${(f.size / 1e6).toFixed(1)} MB)`).join(', ');
    const out = document.querySelector('#upload-result');
    if (out) {
      out.innerHTML = '';
      const div = document.createElement('div');
      div.className = 'ingest-result upload-refused';
      div.textContent = `Not added: ${names}. Files can be up to ${mb} MB each.`;
      out.appendChild(div);
    }
  };
  const keep = (input, files) => {
    const kept = new DataTransfer();
    files.forEach((f) => kept.items.add(f));
    input.files = kept.files;
  };
  document.addEventListener('change', (ev) => {
    const input = ev.target;
    if (!(input instanceof HTMLInputElement) || input.type !== 'file') return;
    if (!input.closest('#upload')) return;
    const big = tooBig(input.files || []);
    if (!big.length) return;
    explain(big);
    const rest = [...input.files].filter((f) => !big.includes(f));
    if (!rest.length) { ev.stopImmediatePropagation(); input.value = ''; return; }
    keep(input, rest);
  }, true);
  document.addEventListener('drop', (ev) => {
    const zone = ev.target.closest && ev.target.closest('#upload');
    if (!zone || !ev.dataTransfer) return;
    const files = [...ev.dataTransfer.files];
    const big = tooBig(files);
    if (!big.length) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
    explain(big);
    const rest = files.filter((f) => !big.includes(f));
    const input = zone.querySelector('input[type=file]');
    if (rest.length && input) {
      keep(input, rest);
      input.dispatchEvent(new Event('change', {bubbles: true}));
    }
  }, true);
}
"""

SCROLL_TO_QUOTE = """
() => {
  let tries = 0;
  const go = () => {
    const mark = document.querySelector('#article-viewer mark#article-quote');
    const body = document.querySelector('#article-viewer .article-body');
    if (mark && body) {
      // Scroll the article box, not the page, so the quote sits a third of the way down.
      body.scrollTop = mark.offsetTop - body.offsetTop - body.clientHeight / 3;
      document.querySelector('#article-viewer')?.scrollIntoView({block: 'nearest'});
    } else if (++tries < 40) { setTimeout(go, 50); }
  };
  go();
}
"""

COPY_JS = """
(text) => {
  const done = () => { const b = document.querySelector('#copy-btn');
    if (b) { const t = b.textContent; b.textContent = 'Copied';
             setTimeout(() => b.textContent = t, 1200); } };
  if (navigator.clipboard) { navigator.clipboard.writeText(text || '').then(done, () => {}); }
  return text;
}
"""
