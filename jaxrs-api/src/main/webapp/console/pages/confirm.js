// A confirmation dialog that asks to type the name of what is to be destroyed.
import { h, field } from '../dom.js';

/** Resolves true once the user typed name and confirmed; false if they cancelled. */
export function confirmByName(title, name, consequence) {
  return new Promise((resolve) => {
    const input = h('input', { name: 'confirmName', autocomplete: 'off' });
    const confirm = h('button', { type: 'submit', class: 'danger', disabled: true }, title);
    input.addEventListener('input', () => { confirm.disabled = input.value !== name; });
    const dialog = h('dialog', { 'aria-labelledby': 'confirm-h' },
      h('form', { method: 'dialog', class: 'stack' },
        h('h2', { id: 'confirm-h' }, `${title} ${name}?`), h('p', {}, consequence),
        field(`Type ${name} to confirm`, input),
        h('div', { class: 'toolbar' }, confirm, h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close('cancel') }, 'Cancel'))));
    dialog.addEventListener('close', () => { dialog.remove(); resolve(dialog.returnValue !== 'cancel' && input.value === name); });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}
