// Review queue keyboard triage. Every action is a plain form in the page (it works without this
// script); the keys only move a selection and submit the selected item's forms:
// j/k move, a assign to me, r responded (opens the reply-link field), e escalate, d dismiss,
// x select for a bulk action, o/Enter open the item, ? the shortcuts.
const list = document.getElementById('review-list');
const dialog = document.getElementById('shortcuts');
const helpButton = document.getElementById('shortcuts-open');
const items = list ? [...list.querySelectorAll('.review-item')] : [];
const KEY = `review-selection:${location.pathname}${location.search}`;

function showHelp() {
  if (dialog && !dialog.open) dialog.showModal();
}
helpButton?.addEventListener('click', showHelp);

let index = -1;

function select(i, focus = true) {
  if (items.length === 0) return;
  index = Math.max(0, Math.min(items.length - 1, i));
  items.forEach((item, n) => {
    if (n === index) item.setAttribute('aria-current', 'true');
    else item.removeAttribute('aria-current');
  });
  const item = items[index];
  if (focus) item.focus({ preventScroll: true });
  item.scrollIntoView({ block: 'nearest' });
  sessionStorage.setItem(KEY, String(index));
}

function submitKey(key) {
  const item = items[index];
  const button = item?.querySelector(`button[data-key="${key}"]`);
  if (!button || button.disabled) return;
  // The item leaves or stays; either way the same position is selected after the reload.
  sessionStorage.setItem(KEY, String(index));
  button.form.requestSubmit(button);
}

function openRespond() {
  const details = items[index]?.querySelector('details[data-key="r"]');
  if (!details) return;
  details.open = true;
  details.querySelector('input[name="url"]')?.focus();
}

const typing = (el) => el instanceof HTMLElement && el.closest('input, textarea, select, [contenteditable]');

document.addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === 'Escape' && typing(event.target)) {
    const details = event.target.closest('details');
    if (details) {
      details.open = false;
      items[index]?.focus();
    }
    return;
  }
  if (typing(event.target) || dialog?.open) return;
  switch (event.key) {
    case '?':
      showHelp();
      break;
    case 'j':
      select(index + 1);
      break;
    case 'k':
      select(index - 1);
      break;
    case 'a':
    case 'e':
    case 'd':
      if (index < 0) return;
      submitKey(event.key);
      break;
    case 'r':
      if (index < 0) return;
      openRespond();
      break;
    case 'x': {
      const box = items[index]?.querySelector('input.pick');
      if (box) box.checked = !box.checked;
      break;
    }
    case 'o':
    case 'Enter':
      if (index < 0 || event.target !== items[index]) return;
      items[index].querySelector('a.open-item')?.click();
      break;
    default:
      return;
  }
  event.preventDefault();
});

for (const [n, item] of items.entries()) {
  item.addEventListener('click', (event) => {
    if (!(event.target instanceof HTMLElement) || !event.target.closest('a, button, input, summary, label')) {
      select(n);
    }
  });
}

// After a triage action the page reloads: keep the selection where it was (the next item, when the
// acted-on one left this tab).
const saved = Number(sessionStorage.getItem(KEY));
if (items.length > 0) select(Number.isInteger(saved) && saved >= 0 ? saved : 0, false);
(list ?? document.querySelector('main'))?.setAttribute('data-ready', '');
