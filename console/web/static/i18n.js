/* Tiny translation helper shared by the chat page and the agent console (no build step). */
(function () {
  'use strict';

  const ATTRIBUTES = [
    ['i18nPlaceholder', 'placeholder'],
    ['i18nAriaLabel', 'aria-label'],
    ['i18nTitle', 'title'],
  ];

  function table(strings, lang) {
    return strings[lang] || strings.ko;
  }

  /** Fills every [data-i18n] element (text) and [data-i18n-*] attribute under root. */
  function apply(strings, lang, root) {
    const words = table(strings, lang);
    const scope = root || document;
    scope.querySelectorAll('[data-i18n]').forEach((node) => {
      const key = node.dataset.i18n;
      if (Object.prototype.hasOwnProperty.call(words, key)) node.textContent = words[key];
    });
    for (const [dataKey, attribute] of ATTRIBUTES) {
      const selector = '[data-' + dataKey.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()) + ']';
      scope.querySelectorAll(selector).forEach((node) => {
        const key = node.dataset[dataKey];
        if (Object.prototype.hasOwnProperty.call(words, key)) node.setAttribute(attribute, words[key]);
      });
    }
    if (!root) document.documentElement.lang = lang;
  }

  /** One string, with {name} placeholders filled from vars. */
  function t(strings, lang, key, vars) {
    const words = table(strings, lang);
    const text = Object.prototype.hasOwnProperty.call(words, key) ? words[key] : key;
    return text.replace(/\{(\w+)\}/g, (match, name) =>
      vars && Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : match);
  }

  /** "ko" when the text has Hangul, "en" when it has Latin words, otherwise null. */
  function languageOf(text) {
    if (/[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/.test(text)) return 'ko';
    if (/[A-Za-z]{2,}/.test(text)) return 'en';
    return null;
  }

  window.BodamI18n = { apply, t, languageOf };
})();
