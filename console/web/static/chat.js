/*
 * bodam web chat: a small socket.io client for Rasa's socketio channel.
 *
 * - The session id lives in localStorage; Rasa's session_persistence keeps the conversation
 *   on the server, and the messages shown are re-rendered from localStorage after a reload.
 * - Every text is put on the page with textContent; only http(s) URLs, e-mail addresses and
 *   service numbers become links, built element by element (never innerHTML).
 */
(function () {
  'use strict';

  const STORAGE_KEY = 'bodam.chat.v1';
  const MAX_STORED = 200;
  const MAX_CHARS = 2000;
  const REPLY_TIMEOUT_MS = 20000;
  const I18N = window.BodamI18n;

  const STRINGS = {
    ko: {
      skip: '대화 입력으로 건너뛰기',
      hotline: '사고접수·긴급출동 24시간',
      eyebrow: '보담 고객센터',
      heroTitle: '무엇을 도와드릴까요?',
      heroLead: '사고 접수부터 보험금 청구 조회, 약관 문의까지 채팅으로 바로 도와드려요.',
      feature1: '사고 접수와 필요 서류 안내',
      feature2: '본인 확인 후 보험금 청구·민원 진행 조회',
      feature3: '계약 변경, 보험료 납입, 해지 안내',
      feature4: '언제든 상담원 연결 (평일 09:00~18:00)',
      finePrint: '채팅 내용은 상담 품질 관리를 위해 보관되며, 전화번호·주민등록번호·카드번호는 가려서 저장됩니다.',
      chatTitle: '보담 채팅 상담',
      statusConnecting: '연결 중…',
      statusOnline: '상담 가능',
      statusOffline: '연결 끊김 · 다시 연결하는 중',
      langToggle: 'Switch to English',
      langToggleLabel: 'EN',
      newChat: '새 상담 시작',
      privacyNote: '주민등록번호·카드번호 같은 민감한 정보는 입력하지 마세요.',
      messagesLabel: '대화 내용',
      typing: '보담이 답변을 입력하고 있어요',
      inputLabel: '메시지 입력',
      placeholder: '메시지를 입력하세요',
      send: '보내기',
      botSays: '보담: ',
      youSaid: '나: ',
      quickReplies: '빠른 답변',
      imageAlt: '보담이 보낸 이미지',
      welcome: '안녕하세요, 보담손해보험 채팅 상담입니다. 궁금하신 내용을 입력하시거나 아래에서 골라 주세요.',
      starters: [
        ['사고 접수', '사고 접수하고 싶어요'],
        ['청구 진행 조회', '보험금 청구한 거 어떻게 됐어요?'],
        ['고객센터 안내', '고객센터 운영시간 알려주세요'],
        ['상담원 연결', '상담원 연결해 주세요'],
      ],
      slow: '답변이 늦어지고 있어요. 잠시 후 다시 시도하시거나 1588-0000으로 전화해 주세요.',
      offline: '채팅 서버에 연결할 수 없어요. 다시 연결하는 중이에요. 급하시면 1588-0000으로 전화해 주세요.',
      clientMissing: '채팅을 불러오지 못했어요. 1588-0000으로 전화해 주세요.',
      tooLong: '메시지는 2,000자 이내로 보내 주세요.',
      newChatStarted: '새 상담을 시작했어요.',
    },
    en: {
      skip: 'Skip to the message box',
      hotline: 'Accidents & roadside help 24/7',
      eyebrow: 'Bodam customer service',
      heroTitle: 'How can we help?',
      heroLead: 'Report an accident, check a claim or ask about your cover — right here in the chat.',
      feature1: 'Report an accident and see which documents you need',
      feature2: 'Check a claim or complaint after a quick identity check',
      feature3: 'Policy changes, premium payments and cancellation',
      feature4: 'Talk to a person any time (weekdays 09:00-18:00)',
      finePrint: 'Chats are kept for quality purposes; phone, resident registration and card numbers are masked.',
      chatTitle: 'Bodam chat',
      statusConnecting: 'Connecting…',
      statusOnline: 'Online',
      statusOffline: 'Disconnected · reconnecting',
      langToggle: '한국어로 보기',
      langToggleLabel: '한국어',
      newChat: 'Start a new chat',
      privacyNote: 'Please do not type resident registration or card numbers.',
      messagesLabel: 'Conversation',
      typing: 'bodam is typing',
      inputLabel: 'Your message',
      placeholder: 'Type your message',
      send: 'Send',
      botSays: 'bodam: ',
      youSaid: 'You: ',
      quickReplies: 'Quick replies',
      imageAlt: 'Image from bodam',
      welcome: 'Hello, this is the Bodam Insurance chat. Type your question or pick a topic below.',
      starters: [
        ['Report a claim', 'I want to file a claim'],
        ['Check a claim', 'what is the status of my claim?'],
        ['Contact details', "what's your phone number?"],
        ['Talk to a person', 'let me talk to a person'],
      ],
      slow: 'The answer is taking longer than usual. Please try again shortly, or call 1588-0000.',
      offline: "Can't reach the chat server; reconnecting. If it's urgent, call 1588-0000.",
      clientMissing: "The chat couldn't load. Please call 1588-0000.",
      tooLong: 'Please keep messages under 2,000 characters.',
      newChatStarted: 'A new chat has started.',
    },
  };

  const $ = (id) => document.getElementById(id);
  const els = {
    messages: $('messages'),
    conversation: $('conversation'),
    typing: $('typing'),
    banner: $('banner'),
    form: $('composer'),
    input: $('chat-input'),
    status: $('status'),
    statusText: $('status-text'),
    langToggle: $('lang-toggle'),
    langToggleLabel: $('lang-toggle-label'),
    newChat: $('new-chat'),
  };
  const metaUrl = document.querySelector('meta[name="bodam-rasa-url"]');
  const RASA_URL = (metaUrl && metaUrl.content) || 'http://localhost:5005';

  let state = loadState();
  let socket = null;
  let confirmed = false;
  let status = 'connecting';
  let replyTimer = null;
  const outbox = [];

  // ---------------------------------------------------------------------------- storage

  function freshState() {
    const preferred = (navigator.language || 'ko').toLowerCase().startsWith('en') ? 'en' : 'ko';
    return { sessionId: null, lang: preferred, messages: [] };
  }

  function validMessage(m) {
    return m && (m.from === 'user' || m.from === 'bot') && typeof m.text === 'string';
  }

  function loadState() {
    try {
      const raw = window.localStorage.getItem(STORAGE_KEY);
      if (!raw) return freshState();
      const data = JSON.parse(raw);
      return {
        sessionId: typeof data.sessionId === 'string' ? data.sessionId : null,
        lang: data.lang === 'en' ? 'en' : 'ko',
        messages: Array.isArray(data.messages) ? data.messages.filter(validMessage) : [],
      };
    } catch (error) {
      return freshState();
    }
  }

  function saveState() {
    state.messages = state.messages.slice(-MAX_STORED);
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (error) {
      /* private mode or full storage: the chat still works, it just won't survive a reload */
    }
  }

  // ----------------------------------------------------------------------------- language

  function t(key, vars) {
    return I18N.t(STRINGS, state.lang, key, vars);
  }

  function setLanguage(lang) {
    state.lang = lang === 'en' ? 'en' : 'ko';
    I18N.apply(STRINGS, state.lang);
    els.langToggleLabel.textContent = t('langToggleLabel');
    els.langToggle.setAttribute('aria-label', t('langToggle'));
    setStatus(status);
    const intro = els.messages.querySelector('.intro');
    if (intro) intro.replaceWith(renderIntro());
    saveState();
  }

  // ------------------------------------------------------------------------------- status

  function setStatus(next) {
    status = next;
    els.status.dataset.state = next;
    const key = { online: 'statusOnline', offline: 'statusOffline' }[next] || 'statusConnecting';
    els.statusText.textContent = t(key);
  }

  function showBanner(key) {
    els.banner.textContent = t(key);
    els.banner.dataset.kind = key;
    els.banner.hidden = false;
  }

  function hideBanner() {
    els.banner.hidden = true;
    els.banner.textContent = '';
    delete els.banner.dataset.kind;
  }

  // ---------------------------------------------------------------------------- rendering

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // http(s) URLs (stopping at Hangul, spaces and quotes), e-mail addresses, 1588-0000 numbers.
  const LINKS = /(https?:\/\/[^\s<>"'`\u3131-\u318e\uac00-\ud7a3]+)|([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})|(\b1[0-9]{3}-[0-9]{4}\b)/g;

  function makeLink(raw, kind) {
    let href;
    if (kind === 'url') {
      try {
        const url = new URL(raw);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
        href = url.href;
      } catch (error) {
        return null;
      }
    } else if (kind === 'email') {
      href = 'mailto:' + raw;
    } else {
      href = 'tel:' + raw;
    }
    const link = el('a', 'link', raw);
    link.href = href;
    if (kind === 'url') {
      link.target = '_blank';
      link.rel = 'noopener noreferrer nofollow';
    }
    return link;
  }

  /** Appends text to parent as text nodes, with safe links for URLs, e-mails and phones. */
  function appendRichText(parent, text) {
    let position = 0;
    for (const match of text.matchAll(LINKS)) {
      let raw = match[0];
      const kind = match[1] ? 'url' : match[2] ? 'email' : 'phone';
      if (kind === 'url') raw = raw.replace(/[.,;:!?)\]}]+$/, '');
      const link = makeLink(raw, kind);
      if (!link) continue;
      parent.append(document.createTextNode(text.slice(position, match.index)));
      parent.append(link);
      position = match.index + raw.length;
    }
    parent.append(document.createTextNode(text.slice(position)));
  }

  function timeOf(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return null;
    const time = el('time', 'time');
    time.dateTime = date.toISOString();
    time.textContent = date.toLocaleTimeString(state.lang === 'en' ? 'en-GB' : 'ko-KR', {
      hour: '2-digit',
      minute: '2-digit',
    });
    return time;
  }

  function safeImage(src) {
    try {
      const url = new URL(src, window.location.href);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function renderMessage(message) {
    const item = el('li', 'message from-' + message.from);
    if (message.from === 'bot') {
      const avatar = el('img', 'avatar small');
      avatar.src = '/static/logo.svg';
      avatar.alt = '';
      avatar.width = 28;
      avatar.height = 28;
      item.append(avatar);
    }
    const body = el('div', 'message-body');
    if (message.text) {
      const bubble = el('div', 'bubble');
      bubble.append(el('span', 'sr-only', message.from === 'bot' ? t('botSays') : t('youSaid')));
      appendRichText(bubble, message.text);
      body.append(bubble);
    }
    if (message.image) {
      const src = safeImage(message.image);
      if (src) {
        const image = el('img', 'attachment');
        image.src = src;
        image.alt = t('imageAlt');
        image.loading = 'lazy';
        body.append(image);
      }
    }
    if (Array.isArray(message.buttons) && message.buttons.length) {
      const group = el('div', 'quick-replies');
      group.setAttribute('role', 'group');
      group.setAttribute('aria-label', t('quickReplies'));
      for (const button of message.buttons) {
        const node = el('button', 'quick-reply', button.title);
        node.type = 'button';
        node.disabled = Boolean(message.answered);
        node.addEventListener('click', () => {
          if (node.disabled) return;
          sendMessage(button.payload, button.title);
        });
        group.append(node);
      }
      body.append(group);
    }
    const time = timeOf(message.ts);
    if (time) body.append(time);
    item.append(body);
    return item;
  }

  function renderIntro() {
    const item = el('li', 'message from-bot intro');
    const avatar = el('img', 'avatar small');
    avatar.src = '/static/logo.svg';
    avatar.alt = '';
    item.append(avatar);
    const body = el('div', 'message-body');
    body.append(el('div', 'bubble', t('welcome')));
    const group = el('div', 'quick-replies starters');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', t('quickReplies'));
    for (const [title, text] of STRINGS[state.lang].starters) {
      const node = el('button', 'quick-reply', title);
      node.type = 'button';
      node.addEventListener('click', () => sendMessage(text, text));
      group.append(node);
    }
    body.append(group);
    item.append(body);
    return item;
  }

  function renderAll() {
    els.messages.replaceChildren();
    if (!state.messages.length) {
      els.messages.append(renderIntro());
    } else {
      for (const message of state.messages) els.messages.append(renderMessage(message));
    }
    scrollToEnd();
  }

  function scrollToEnd() {
    els.conversation.scrollTop = els.conversation.scrollHeight;
  }

  function addMessage(message) {
    message.ts = new Date().toISOString();
    state.messages.push(message);
    saveState();
    const intro = els.messages.querySelector('.intro');
    if (intro) intro.remove();
    els.messages.append(renderMessage(message));
    scrollToEnd();
  }

  function markAnswered() {
    for (const message of state.messages) {
      if (message.buttons && message.buttons.length) message.answered = true;
    }
    els.messages.querySelectorAll('.quick-reply').forEach((node) => {
      node.disabled = true;
    });
  }

  // ------------------------------------------------------------------------------ typing

  function showTyping() {
    els.typing.hidden = false;
    scrollToEnd();
    window.clearTimeout(replyTimer);
    replyTimer = window.setTimeout(() => {
      hideTyping();
      showBanner('slow');
    }, REPLY_TIMEOUT_MS);
  }

  function hideTyping() {
    els.typing.hidden = true;
    window.clearTimeout(replyTimer);
  }

  // ----------------------------------------------------------------------------- sending

  function sendMessage(payload, shown) {
    const text = String(payload || '').trim();
    if (!text) return;
    if (text.length > MAX_CHARS) {
      showBanner('tooLong');
      return;
    }
    if (status !== 'offline') hideBanner();
    markAnswered();
    addMessage({ from: 'user', text: String(shown || text) });
    outbox.push(text);
    flush();
    showTyping();
  }

  function flush() {
    if (!socket || !socket.connected || !confirmed || !state.sessionId) return;
    while (outbox.length) {
      socket.emit('user_uttered', { message: outbox.shift(), session_id: state.sessionId });
    }
  }

  // ------------------------------------------------------------------------------ receiving

  function buttonsOf(data) {
    const list = Array.isArray(data.quick_replies) ? data.quick_replies : data.buttons;
    if (!Array.isArray(list)) return [];
    return list
      .filter((b) => b && typeof b.title === 'string' && typeof b.payload === 'string')
      .map((b) => ({ title: b.title, payload: b.payload }));
  }

  function imageOf(data) {
    const attachment = data.attachment;
    if (attachment && attachment.type === 'image' && attachment.payload) {
      return typeof attachment.payload.src === 'string' ? attachment.payload.src : null;
    }
    return typeof data.image === 'string' ? data.image : null;
  }

  function onBotMessage(data) {
    if (!data || typeof data !== 'object') return;
    hideTyping();
    hideBanner();
    const message = {
      from: 'bot',
      text: typeof data.text === 'string' ? data.text : '',
      buttons: buttonsOf(data),
      image: imageOf(data),
    };
    if (!message.text && !message.buttons.length && !message.image) return;
    const lang = I18N.languageOf(message.text);
    if (lang && lang !== state.lang) setLanguage(lang);
    addMessage(message);
  }

  // ---------------------------------------------------------------------------- connection

  function connect() {
    if (typeof window.io !== 'function') {
      setStatus('offline');
      showBanner('clientMissing');
      return;
    }
    socket = window.io(RASA_URL, {
      path: '/socket.io',
      // Rasa's socket.io server has CORS handling switched off: websocket needs none.
      transports: ['websocket'],
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 10000,
      timeout: 10000,
    });
    socket.on('connect', () => {
      confirmed = false;
      socket.emit('session_request', { session_id: state.sessionId });
    });
    socket.on('session_confirm', (confirmedId) => {
      const id = typeof confirmedId === 'string' ? confirmedId : confirmedId && confirmedId.session_id;
      if (typeof id === 'string' && id) {
        state.sessionId = id;
        saveState();
      }
      confirmed = true;
      setStatus('online');
      if (els.banner.dataset.kind !== 'slow') hideBanner();
      flush();
    });
    socket.on('bot_uttered', onBotMessage);
    socket.on('disconnect', () => {
      confirmed = false;
      setStatus('offline');
    });
    socket.on('connect_error', () => {
      confirmed = false;
      setStatus('offline');
      showBanner('offline');
    });
  }

  function newConversation() {
    state = { sessionId: null, lang: state.lang, messages: [] };
    outbox.length = 0;
    hideTyping();
    hideBanner();
    saveState();
    renderAll();
    if (socket) {
      confirmed = false;
      setStatus('connecting');
      socket.disconnect();
      socket.connect();
    }
    els.input.focus();
  }

  // ---------------------------------------------------------------------------------- input

  function autosize() {
    els.input.style.height = 'auto';
    els.input.style.height = Math.min(els.input.scrollHeight, 140) + 'px';
  }

  els.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = els.input.value;
    if (!text.trim()) return;
    sendMessage(text);
    els.input.value = '';
    autosize();
    els.input.focus();
  });
  els.input.addEventListener('keydown', (event) => {
    // Enter sends; Shift+Enter is a new line; never while a Korean syllable is being composed.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      els.form.requestSubmit();
    }
  });
  els.input.addEventListener('input', autosize);
  els.langToggle.addEventListener('click', () => setLanguage(state.lang === 'ko' ? 'en' : 'ko'));
  els.newChat.addEventListener('click', newConversation);

  setLanguage(state.lang);
  setStatus('connecting');
  renderAll();
  connect();
})();
