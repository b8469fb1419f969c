/* Agent sign-in: posts JSON to /api/login, shows the error inline, then opens the console. */
(function () {
  'use strict';

  const I18N = window.BodamI18n;
  const LANG_KEY = 'bodam.console.lang';
  const STRINGS = {
    ko: {
      title: '상담원 콘솔 로그인',
      lead: '상담 중 고객 발화 분석, 추천 답변, 약관·고객 건 조회를 한 화면에서.',
      name: '상담원 이름',
      nameHint: '조회 기록에 agent:이름 으로 남습니다.',
      password: '비밀번호',
      submit: '로그인',
      signingIn: '로그인 중…',
      foot: '권한이 있는 상담원만 사용할 수 있으며 모든 조회는 감사 기록에 남습니다.',
      toggle: 'EN',
      missing: '이름과 비밀번호를 입력해 주세요.',
      network: '서버에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.',
      login_failed: '이름 또는 비밀번호가 올바르지 않습니다.',
      invalid_agent_name: "상담원 이름은 1~40자의 한글, 영문, 숫자, '.', '_', '-'로 입력해 주세요.",
      too_many_attempts: '로그인 시도가 너무 많습니다. 잠시 후 다시 시도해 주세요.',
    },
    en: {
      title: 'Agent console sign-in',
      lead: "Caller analysis, suggested replies, clauses and case look-ups on one screen.",
      name: 'Agent name',
      nameHint: 'Recorded in the audit log as agent:<name>.',
      password: 'Password',
      submit: 'Sign in',
      signingIn: 'Signing in…',
      foot: 'For authorised agents only. Every look-up is recorded in the audit log.',
      toggle: '한국어',
      missing: 'Please enter your name and password.',
      network: "Can't reach the server. Please try again shortly.",
      login_failed: 'Wrong name or password.',
      invalid_agent_name: "The agent name must be 1-40 letters, digits, '.', '_' or '-'.",
      too_many_attempts: 'Too many sign-in attempts. Please wait a moment and try again.',
    },
  };

  let lang = localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'ko';
  const form = document.getElementById('login-form');
  const errorBox = document.getElementById('login-error');
  const submit = document.getElementById('login-submit');
  const toggle = document.getElementById('lang-toggle');
  let lastError = null;

  function render() {
    I18N.apply(STRINGS, lang);
    toggle.textContent = STRINGS[lang].toggle;
    if (lastError) showError(lastError);
  }

  function showError(error) {
    lastError = error;
    const text = typeof error === 'string' ? STRINGS[lang][error] : error[lang] || error.ko;
    errorBox.textContent = text;
    errorBox.hidden = false;
  }

  toggle.addEventListener('click', () => {
    lang = lang === 'ko' ? 'en' : 'ko';
    localStorage.setItem(LANG_KEY, lang);
    render();
  });

  const codeFromUrl = new URLSearchParams(window.location.search).get('error');
  if (codeFromUrl) {
    lastError = Object.prototype.hasOwnProperty.call(STRINGS.ko, codeFromUrl)
      ? codeFromUrl
      : 'login_failed';
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = form.elements.name.value.trim();
    const password = form.elements.password.value;
    if (!name || !password) {
      showError('missing');
      return;
    }
    submit.disabled = true;
    submit.textContent = STRINGS[lang].signingIn;
    try {
      const response = await fetch('/api/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, password }),
        credentials: 'same-origin',
      });
      if (response.ok) {
        window.location.assign('/console');
        return;
      }
      const body = await response.json().catch(() => null);
      showError(body && body.message ? body.message : 'network');
    } catch (error) {
      showError('network');
    } finally {
      submit.disabled = false;
      submit.textContent = STRINGS[lang].submit;
    }
  });

  render();
})();
