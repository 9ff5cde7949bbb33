// Watch editor: previews what the draft query catches among recent mentions as you type (and on the
// Preview button) through POST /watches/preview (the API's preview code; a syntax error answers 200
// so typing logs no failed request), and shows a syntax error next to its field.
// Without this script the Preview button posts the form and the server renders the same preview.
const query = document.getElementById('f-query');
const exclusions = document.getElementById('f-exclusions');
const owned = document.getElementById('f-ownedHandles');
const button = document.getElementById('preview-button');
const out = document.getElementById('preview');
const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';

const lines = (s) =>
  s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Text with <mark>s at the preview's highlight offsets (UTF-16, end exclusive). */
function highlighted(text, highlights) {
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const h of [...highlights].sort((a, b) => a.start - b.start)) {
    if (h.start < at) continue;
    frag.append(text.slice(at, h.start));
    frag.append(
      el('mark', { class: 'hl-term', title: `Matched term: ${h.term}` }, text.slice(h.start, h.end)),
    );
    at = h.end;
  }
  frag.append(text.slice(at));
  return frag;
}

function setFieldError(field, message) {
  const id = `${field.id}-live-error`;
  let p = document.getElementById(id);
  const server = document.getElementById(`${field.id}-error`);
  if (server) server.remove();
  if (!message) {
    p?.remove();
    field.removeAttribute('aria-invalid');
    field.setAttribute('aria-describedby', `${field.id}-hint`);
    return;
  }
  if (!p) {
    p = el('p', { class: 'error', id });
    field.after(p);
  }
  p.textContent = message;
  field.setAttribute('aria-invalid', 'true');
  field.setAttribute('aria-describedby', `${field.id}-hint ${id}`);
}

function render(result) {
  const heading = out.querySelector('h2');
  out.replaceChildren(heading);
  const parts = [`${result.matched} of ${result.scanned} recent mentions match`];
  if (result.excluded) parts.push(`${result.excluded} excluded`);
  if (result.owned) parts.push(`${result.owned} from our own handles`);
  out.append(el('p', { class: 'preview-counts', id: 'preview-counts' }, `${parts.join(', ')}.`));
  const list = el('ol', { class: 'mentions' });
  for (const s of result.samples) {
    const li = el('li');
    const when = `${new Date(s.publishedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    li.append(el('p', { class: 'meta' }, `${s.sourceName ?? ''} · ${when}${s.owned ? ' · our handle' : ''}`));
    if (s.title) {
      const h3 = el('h3');
      h3.append(
        highlighted(
          s.title,
          s.highlights.filter((h) => h.field === 'title'),
        ),
      );
      li.append(h3);
    }
    const p = el('p', { class: 'mention-text' });
    p.append(
      highlighted(
        s.text,
        s.highlights.filter((h) => h.field === 'text'),
      ),
    );
    li.append(p);
    list.append(li);
  }
  out.append(list);
}

let timer;
let seq = 0;

async function preview() {
  if (!query || !out) return;
  const form = query.form;
  const body = new URLSearchParams(new FormData(form));
  body.set('intent', 'preview');
  if (!query.value.trim()) return;
  const mine = ++seq;
  out.setAttribute('aria-busy', 'true');
  try {
    const res = await fetch('/watches/preview', {
      method: 'POST',
      headers: { 'x-csrf-token': csrf },
      body,
    });
    if (mine !== seq) return;
    const json = res.ok
      ? await res.json()
      : { ok: false, issues: [{ path: 'query', message: 'The preview failed.' }] };
    if (json.ok) {
      setFieldError(query, '');
      if (exclusions) setFieldError(exclusions, '');
      render(json);
    } else {
      for (const field of [query, exclusions]) {
        if (!field) continue;
        const issue = json.issues.find((i) => i.path === field.name);
        setFieldError(field, issue ? issue.message : '');
      }
    }
  } catch {
    // Offline or the server went away: the form still posts.
  } finally {
    if (mine === seq) {
      out.removeAttribute('aria-busy');
      out.setAttribute('data-ready', '');
    }
  }
}

button?.addEventListener('click', (event) => {
  event.preventDefault();
  clearTimeout(timer);
  preview();
});
for (const field of [query, exclusions, owned]) {
  field?.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(preview, 400);
  });
}
document.querySelector('.watch-editor')?.setAttribute('data-ready', '');
