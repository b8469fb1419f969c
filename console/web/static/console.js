/*
 * bodam agent console: analyses what the caller says as the agent types, shows the
 * suggested reply, intents, entities, clauses and the cases mentioned, and keeps the
 * hand-off, overdue-complaint and identity-lock queues fresh. All text goes on the page via textContent.
 */
(function () {
  'use strict';

  const I18N = window.BodamI18n;
  const LANG_KEY = 'bodam.console.lang';
  const DEBOUNCE_MS = 350;
  const QUEUE_REFRESH_MS = 30000;
  const MAX_CHARS = 2000;

  const STRINGS = {
    ko: {
      skip: '고객 발화 입력으로 건너뛰기',
      product: '상담원 콘솔',
      signedInAs: '로그인한 상담원:',
      apiDocs: 'API 문서',
      logout: '로그아웃',
      toggle: 'EN',
      callerTitle: '고객 발화',
      callerLabel: '고객이 말한 내용',
      callerPlaceholder: '고객이 말한 내용을 입력하거나 붙여 넣으세요 (한국어·영어)',
      samples: '예시 문장',
      sampleClaim: '청구 조회',
      sampleComplaint: '영문 민원 문의',
      sampleCoverage: '보장 문의',
      clear: '지우기',
      analyse: '분석',
      analysing: '분석 중…',
      done: '분석 완료 · {ms}ms',
      suggestionTitle: '추천 답변',
      suggestionEmpty: '고객 발화를 입력하면 고객의 언어로 답변을 추천합니다.',
      noSuggestion: '이 의도에 맞는 추천 답변이 없습니다. 고객의 말을 한 번 더 확인해 주세요.',
      copy: '복사',
      copied: '복사됨',
      copyFailed: '복사 실패',
      source_domain: '챗봇 응답',
      source_case: '고객 건 기반',
      source_clause: '약관 기반',
      source_console: '상담 스크립트',
      langKo: '한국어',
      langEn: '영어',
      intentsTitle: '의도 (상위 3개)',
      entitiesTitle: '엔터티',
      caseTitle: '고객 건',
      caseNote: '조회 시 감사 기록이 남습니다',
      caseEmpty: '증권번호·청구번호·민원번호가 언급되면 건 내용을 보여 줍니다.',
      clausesTitle: '관련 약관',
      waiting: '분석 대기 중',
      noIntents: '의도를 찾지 못했습니다.',
      lowConfidence: '확신도가 낮습니다. 고객에게 한 번 더 확인해 주세요.',
      noEntities: '찾은 엔터티가 없습니다.',
      noClauses: '관련 약관을 찾지 못했습니다.',
      clauseChoose: '두 조항 중 확인 필요',
      clauseChooseNote: '두 조항의 답이 다릅니다. 고객에게 어느 상황에 해당하는지 확인해 주세요.',
      clauseAskProduct: '상품 확인 필요',
      clauseAskProductNote: '여러 상품의 약관이 비슷하게 맞습니다: {products}',
      clauseOption: '확인 필요',
      clauseAnswer: '답변 근거',
      clauseNoPlain: '아직 쉬운 설명이 없습니다. 아래 약관 문구를 그대로 안내해 주세요.',
      quoteTitle: '판단 근거 문장',
      showWording: '원문 보기',
      hideWording: '원문 닫기',
      wordingLoading: '원문을 불러오는 중…',
      wordingError: '원문을 불러오지 못했습니다.',
      highlighted: '인용한 항',
      handoffsTitle: '상담원 연결 요청',
      overdueTitle: '기한 초과 민원',
      refresh: '새로고침',
      noHandoffs: '대기 중인 연결 요청이 없습니다.',
      noOverdue: '기한이 지난 민원이 없습니다.',
      queueError: '목록을 불러오지 못했습니다.',
      locksTitle: '본인 확인 잠금',
      locksNote: '24시간 안에 본인 확인을 5번 틀린 번호는 모든 대화에서 확인이 막힙니다. 해제하기 전에 전화로 고객 본인인지 꼭 확인하세요.',
      noLocks: '잠긴 번호가 없습니다.',
      lockMeta: '{failures}번 실패 · {time} 잠김',
      unlock: '잠금 해제',
      unlockLabel: '{id} 잠금 해제',
      unlocking: '해제 중…',
      unlockConfirm: '{id}의 본인 확인 잠금을 해제할까요?\n\n해제하기 전에 전화로 고객 본인인지 먼저 확인해 주세요.',
      unlockFailed: '{id}의 잠금을 해제하지 못했습니다. 잠시 후 다시 시도해 주세요.',
      burstsTitle: '실패가 몰린 번호',
      noBursts: '최근 24시간 동안 실패가 몰린 번호가 없습니다.',
      burstMeta: '{failures}번 실패 · 대화 {conversations}건 · 마지막 {time}',
      subjects: { policy: '증권번호', claim: '청구번호', complaint: '민원번호' },
      open: '열기',
      summary: '대화 요약',
      customer: '고객',
      notFound: '{id}: 조회되는 건이 없습니다.',
      identityMatched: '본인 확인 일치 — {name} ({phone})',
      identityFailed: '본인 확인 불일치 — 증권번호 또는 생년월일이 맞지 않습니다.',
      identityHint: '본인 확인 전입니다. 고객에게 증권번호와 생년월일을 확인하세요.',
      history: '처리 이력',
      claimsOnPolicy: '이 계약의 청구',
      noClaims: '청구 내역 없음',
      overdueFlag: '기한 초과',
      dueBy: '답변 기한 {date}',
      daysOver: '{days}일 초과',
      networkError: '서버에 연결할 수 없습니다.',
      fields: {
        policy_number: '증권번호', product: '상품', status: '상태', customer_id: '고객번호',
        period: '보험기간', sum_insured: '가입금액', beneficiary: '수익자',
        incident_type: '사고 유형', incident_date: '사고일', incident_place: '사고 장소',
        description: '내용', injuries: '부상자', assessed_amount: '손해사정액',
        paid_amount: '지급액', channel: '접수 채널', created_at: '접수일시', updated_at: '최근 변경',
        next_step: '다음 단계', category: '민원 유형', opened_at: '접수일', due_date: '답변 기한',
        desired_outcome: '요청 사항', change_type: '변경 항목', new_value: '변경 값',
      },
      kinds: { claim: '보험금 청구', complaint: '민원', change: '계약 변경', policy: '보험 계약' },
      entities: {
        policy_number: '증권번호', claim_id: '청구번호', complaint_id: '민원번호',
        change_id: '변경요청번호', product: '상품', birth_date: '생년월일',
        incident_date: '사고일', incident_type: '사고 유형', change_type: '변경 항목',
        amount: '금액', phone: '전화번호', clause_ref: '약관 조항',
      },
      yes: '있음',
      no: '없음',
      won: '원',
    },
    en: {
      skip: "Skip to the caller's text",
      product: 'Agent console',
      signedInAs: 'Signed in as',
      apiDocs: 'API docs',
      logout: 'Sign out',
      toggle: '한국어',
      callerTitle: 'Caller says',
      callerLabel: 'What the caller said',
      callerPlaceholder: 'Type or paste what the caller says (Korean or English)',
      samples: 'Sample sentences',
      sampleClaim: 'Claim status (KO)',
      sampleComplaint: 'Complaint (EN)',
      sampleCoverage: 'Coverage (KO)',
      clear: 'Clear',
      analyse: 'Analyse',
      analysing: 'Analysing…',
      done: 'Analysed · {ms} ms',
      suggestionTitle: 'Suggested reply',
      suggestionEmpty: "Type what the caller says to get a reply in the caller's language.",
      noSuggestion: 'No suggested reply for this intent. Check with the caller once more.',
      copy: 'Copy',
      copied: 'Copied',
      copyFailed: 'Copy failed',
      source_domain: 'Assistant response',
      source_case: 'From case data',
      source_clause: 'From the wording',
      source_console: 'Agent script',
      langKo: 'Korean',
      langEn: 'English',
      intentsTitle: 'Intents (top 3)',
      entitiesTitle: 'Entities',
      caseTitle: 'Case',
      caseNote: 'Look-ups are audited',
      caseEmpty: 'Mention a policy, claim or complaint number to see the case.',
      clausesTitle: 'Related clauses',
      waiting: 'Waiting for text',
      noIntents: 'No intent found.',
      lowConfidence: 'Low confidence — please check with the caller.',
      noEntities: 'No entities found.',
      noClauses: 'No related clauses found.',
      clauseChoose: 'Check which clause fits',
      clauseChooseNote: 'The two clauses answer differently. Ask the caller which situation fits.',
      clauseAskProduct: 'Check the product',
      clauseAskProductNote: "Several products' wordings fit alike: {products}",
      clauseOption: 'To check',
      clauseAnswer: 'Answer source',
      clauseNoPlain: 'No plain summary yet. Read the wording below to the caller.',
      quoteTitle: 'Deciding sentence',
      showWording: 'Show wording',
      hideWording: 'Hide wording',
      wordingLoading: 'Loading the wording…',
      wordingError: "Couldn't load the wording.",
      highlighted: 'Quoted paragraph',
      handoffsTitle: 'Hand-off requests',
      overdueTitle: 'Overdue complaints',
      refresh: 'Refresh',
      noHandoffs: 'No open hand-off requests.',
      noOverdue: 'No overdue complaints.',
      queueError: "Couldn't load the list.",
      locksTitle: 'Identity check locks',
      locksNote: 'After 5 failed identity checks in 24 hours, checks on that number are locked in every conversation. Confirm the caller\'s identity on the phone before unlocking.',
      noLocks: 'No numbers are locked.',
      lockMeta: '{failures} failed checks · locked {time}',
      unlock: 'Unlock',
      unlockLabel: 'Unlock {id}',
      unlocking: 'Unlocking…',
      unlockConfirm: 'Unlock identity checks on {id}?\n\nConfirm the caller\'s identity on the phone first.',
      unlockFailed: "Couldn't unlock {id}. Please try again in a moment.",
      burstsTitle: 'Repeated failures',
      noBursts: 'No repeated failures in the last 24 hours.',
      burstMeta: '{failures} failed checks · {conversations} conversations · last {time}',
      subjects: { policy: 'Policy number', claim: 'Claim id', complaint: 'Complaint id' },
      open: 'Open',
      summary: 'Conversation summary',
      customer: 'Customer',
      notFound: '{id}: no record found.',
      identityMatched: 'Identity matches — {name} ({phone})',
      identityFailed: 'Identity does not match — wrong policy number or birth date.',
      identityHint: 'Not verified yet: confirm the policy number and birth date with the caller.',
      history: 'History',
      claimsOnPolicy: 'Claims on this policy',
      noClaims: 'No claims',
      overdueFlag: 'Overdue',
      dueBy: 'Due {date}',
      daysOver: '{days} days over',
      networkError: "Can't reach the server.",
      fields: {
        policy_number: 'Policy', product: 'Product', status: 'Status', customer_id: 'Customer',
        period: 'Period', sum_insured: 'Sum insured', beneficiary: 'Beneficiary',
        incident_type: 'Incident', incident_date: 'Incident date', incident_place: 'Place',
        description: 'Description', injuries: 'Injuries', assessed_amount: 'Assessed',
        paid_amount: 'Paid', channel: 'Channel', created_at: 'Filed', updated_at: 'Last change',
        next_step: 'Next step', category: 'Category', opened_at: 'Opened', due_date: 'Answer due',
        desired_outcome: 'Wants', change_type: 'Change', new_value: 'New value',
      },
      kinds: { claim: 'Claim', complaint: 'Complaint', change: 'Policy change', policy: 'Policy' },
      entities: {
        policy_number: 'Policy number', claim_id: 'Claim id', complaint_id: 'Complaint id',
        change_id: 'Change id', product: 'Product', birth_date: 'Birth date',
        incident_date: 'Incident date', incident_type: 'Incident type', change_type: 'Change type',
        amount: 'Amount', phone: 'Phone', clause_ref: 'Clause',
      },
      yes: 'yes',
      no: 'no',
      won: ' KRW',
    },
  };

  const $ = (id) => document.getElementById(id);
  const els = {
    form: $('assist-form'),
    text: $('caller-text'),
    counter: $('counter'),
    timing: $('timing'),
    error: $('assist-error'),
    analyse: $('analyse'),
    clear: $('clear'),
    suggestionText: $('suggestion-text'),
    suggestionSource: $('suggestion-source'),
    copy: $('copy-reply'),
    copyLabel: $('copy-label'),
    intents: $('intents'),
    entities: $('entities'),
    clauses: $('clauses'),
    casePanel: $('case-panel'),
    handoffs: $('handoffs'),
    handoffsCount: $('handoffs-count'),
    overdue: $('overdue'),
    overdueCount: $('overdue-count'),
    locks: $('locks'),
    locksCount: $('locks-count'),
    locksError: $('locks-error'),
    bursts: $('bursts'),
    burstsCount: $('bursts-count'),
    refresh: $('refresh'),
    logout: $('logout'),
    toggle: $('lang-toggle'),
    agentName: $('agent-name'),
    agentInitial: $('agent-initial'),
  };

  let lang = localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'ko';
  let lastResult = null;
  let lastQueues = null;
  let shownCase = null;
  let inflight = null;
  let debounceTimer = null;
  let lastSent = '';
  let suggestion = '';

  const t = (key, vars) => I18N.t(STRINGS, lang, key, vars);
  const words = () => STRINGS[lang];

  // ---------------------------------------------------------------------------- helpers

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function empty(container, key) {
    container.replaceChildren(el('p', 'empty', t(key)));
  }

  function label(value) {
    if (!value) return '';
    return value[lang] || value.ko || '';
  }

  function money(amount) {
    if (amount === null || amount === undefined) return '—';
    return Number(amount).toLocaleString(lang === 'en' ? 'en-US' : 'ko-KR') + words().won;
  }

  function dateTime(iso) {
    if (!iso) return '—';
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return date.toLocaleString(lang === 'en' ? 'en-GB' : 'ko-KR', {
      timeZone: 'Asia/Seoul',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
  }

  async function api(path, options) {
    const response = await fetch(path, {
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      ...options,
    });
    if (response.status === 401) {
      window.location.assign('/console/login');
      throw new Error('unauthorized');
    }
    const body = await response.json().catch(() => null);
    return { ok: response.ok, status: response.status, body };
  }

  function showError(message) {
    if (!message) {
      els.error.hidden = true;
      els.error.textContent = '';
      return;
    }
    els.error.textContent = typeof message === 'string' ? message : label(message);
    els.error.hidden = false;
  }

  // ---------------------------------------------------------------------------- analyse

  function updateCounter() {
    const length = els.text.value.length;
    els.counter.textContent = length.toLocaleString('en-US') + ' / 2,000';
    els.counter.classList.toggle('over', length > MAX_CHARS);
  }

  function schedule() {
    updateCounter();
    window.clearTimeout(debounceTimer);
    debounceTimer = window.setTimeout(analyse, DEBOUNCE_MS);
  }

  async function analyse(force) {
    window.clearTimeout(debounceTimer);
    const text = els.text.value;
    if (!text.trim()) {
      if (force === true) showError(null);
      return;
    }
    if (force !== true && text === lastSent) return;
    lastSent = text;
    if (inflight) inflight.abort();
    const controller = new AbortController();
    inflight = controller;
    els.timing.textContent = t('analysing');
    els.form.setAttribute('aria-busy', 'true');
    try {
      const result = await api('/api/assist', {
        method: 'POST',
        body: JSON.stringify({ text }),
        signal: controller.signal,
      });
      if (controller !== inflight) return;
      if (!result.ok) {
        els.timing.textContent = '';
        showError(result.body && result.body.message ? result.body.message : t('networkError'));
        return;
      }
      showError(null);
      lastResult = result.body;
      renderResult();
    } catch (error) {
      if (error.name !== 'AbortError' && error.message !== 'unauthorized') {
        els.timing.textContent = '';
        showError(t('networkError'));
      }
    } finally {
      if (controller === inflight) {
        inflight = null;
        els.form.removeAttribute('aria-busy');
      }
    }
  }

  function renderResult() {
    const result = lastResult;
    if (!result) return;
    els.timing.textContent = t('done', { ms: result.elapsed_ms });
    renderSuggestion(result.suggestion);
    renderIntents(result);
    renderEntities(result.entities);
    renderClauses(result.clauses);
    shownCase = null;
    renderCases(result.cases, result.identity);
  }

  function renderSuggestion(found) {
    suggestion = found ? found.text : '';
    els.suggestionText.classList.toggle('empty', !found);
    els.suggestionText.removeAttribute('data-i18n');
    els.suggestionText.textContent = found ? found.text : t('noSuggestion');
    els.suggestionText.lang = found ? found.language : lang;
    els.copy.disabled = !found;
    els.copyLabel.textContent = t('copy');
    if (found) {
      const language = found.language === 'en' ? t('langEn') : t('langKo');
      els.suggestionSource.textContent = t('source_' + found.source) + ' · ' + language;
      els.suggestionSource.hidden = false;
    } else {
      els.suggestionSource.hidden = true;
    }
  }

  function statusNote(container, part) {
    container.replaceChildren(el('p', 'notice ' + part.status, label(part.message)));
  }

  function renderIntents(result) {
    if (result.nlu.status !== 'ok') {
      statusNote(els.intents, result.nlu);
      return;
    }
    if (!result.intents.length) {
      empty(els.intents, 'noIntents');
      return;
    }
    const list = el('ol', 'intent-list');
    result.intents.forEach((intent, index) => {
      const item = el('li', 'intent' + (index === 0 ? ' top' : ''));
      const head = el('div', 'intent-head');
      const names = el('span', 'intent-names');
      names.append(el('strong', null, label(intent.label) || intent.name));
      names.append(el('code', null, intent.name));
      head.append(names);
      const percent = Math.round(intent.confidence * 100);
      head.append(el('span', 'intent-score', percent + '%'));
      item.append(head);
      const bar = el('div', 'bar');
      bar.setAttribute('role', 'meter');
      bar.setAttribute('aria-valuemin', '0');
      bar.setAttribute('aria-valuemax', '100');
      bar.setAttribute('aria-valuenow', String(percent));
      bar.setAttribute('aria-label', intent.name);
      const fill = el('span', 'bar-fill');
      fill.style.width = Math.max(2, percent) + '%';
      bar.append(fill);
      item.append(bar);
      list.append(item);
    });
    els.intents.replaceChildren(list);
    if (result.low_confidence) els.intents.append(el('p', 'notice warn', t('lowConfidence')));
  }

  function renderEntities(entities) {
    if (!entities.length) {
      empty(els.entities, 'noEntities');
      return;
    }
    const table = el('table', 'entity-table');
    const head = el('thead');
    const headRow = el('tr');
    headRow.append(el('th', null, lang === 'en' ? 'Entity' : '항목'));
    headRow.append(el('th', null, lang === 'en' ? 'Value' : '정규화 값'));
    headRow.append(el('th', null, lang === 'en' ? 'As said' : '원문'));
    head.append(headRow);
    const body = el('tbody');
    for (const entity of entities) {
      const row = el('tr');
      const name = el('td');
      name.append(el('span', 'entity-name', words().entities[entity.entity] || entity.entity));
      row.append(name);
      row.append(el('td', 'entity-value', entity.value));
      row.append(el('td', 'entity-text', entity.text));
      body.append(row);
    }
    table.append(head, body);
    els.entities.replaceChildren(table);
  }

  function renderClauses(clauses) {
    if (clauses.status !== 'ok') {
      statusNote(els.clauses, clauses);
      return;
    }
    if (!clauses.hits.length) {
      empty(els.clauses, 'noClauses');
      return;
    }
    const decision = clauses.decision || 'answer';
    const chosen = clauses.chosen || [];
    const parts = [];
    if (decision === 'choose') {
      const note = el('div', 'notice warn clause-decision');
      note.dataset.decision = 'choose';
      note.append(el('strong', null, t('clauseChoose')));
      note.append(el('span', null, ' · ' + t('clauseChooseNote')));
      parts.push(note);
    } else if (decision === 'ask_product' && (clauses.products || []).length) {
      const names = clauses.products.map((product) => product.name || product.key).join(', ');
      const note = el('div', 'notice info clause-decision');
      note.dataset.decision = 'ask_product';
      note.append(el('strong', null, t('clauseAskProduct')));
      note.append(el('span', null, ' · ' + t('clauseAskProductNote', { products: names })));
      parts.push(note);
    }
    const list = el('ol', 'clause-list');
    clauses.hits.forEach((hit, index) => list.append(clauseItem(hit, index, decision, chosen)));
    parts.push(list);
    els.clauses.replaceChildren(...parts);
  }

  function clauseItem(hit, index, decision, chosen) {
    const picked = hit.clause_id && chosen.includes(hit.clause_id);
    const role = picked ? (decision === 'choose' ? 'option' : decision === 'answer' ? 'answer' : '') : '';
    const item = el('li', 'clause' + (role ? ' ' + role : ''));
    if (hit.clause_id) item.dataset.clauseId = hit.clause_id;
    const head = el('div', 'clause-head');
    head.append(el('strong', 'clause-title', hit.title || hit.clause_id || ''));
    const badges = el('span', 'clause-badges');
    if (role === 'option') badges.append(el('span', 'badge warn', t('clauseOption')));
    if (role === 'answer') badges.append(el('span', 'badge', t('clauseAnswer')));
    const sure = typeof hit.probability === 'number' ? hit.probability : hit.score;
    if (typeof sure === 'number') badges.append(el('span', 'badge subtle', sure.toFixed(2)));
    head.append(badges);
    item.append(head);
    const citation = hit.paragraph_citation || hit.citation;
    if (citation) item.append(el('p', 'citation paragraph-citation', citation));
    if (hit.plain) {
      item.append(el('p', 'clause-plain', hit.plain));
    } else {
      item.append(el('p', 'notice info clause-no-plain', t('clauseNoPlain')));
    }
    const quote = hit.quote;
    const quoted = quote && (hit.plain
      ? (quote.lead ? `${quote.lead} … ` : '') + quote.sentence
      : quote.paragraph_text || quote.sentence);
    if (quoted) {
      const block = el('figure', 'clause-quote');
      const text = el('blockquote', null, quoted);
      text.lang = hit.language || lang;
      block.append(text);
      const caption = el('figcaption', null, t('quoteTitle') + (quote.label ? ' · ' + quote.label : ''));
      block.append(caption);
      item.append(block);
    }
    if (hit.clause_id) {
      const panelId = 'clause-wording-' + index;
      const toggle = el('button', 'icon-text wording-toggle', t('showWording'));
      toggle.type = 'button';
      toggle.setAttribute('aria-expanded', 'false');
      toggle.setAttribute('aria-controls', panelId);
      const panel = el('div', 'clause-wording');
      panel.id = panelId;
      panel.hidden = true;
      toggle.addEventListener('click', () => toggleWording(hit, toggle, panel));
      const actions = el('div', 'clause-actions');
      actions.append(toggle);
      item.append(actions, panel);
    }
    return item;
  }

  async function toggleWording(hit, toggle, panel) {
    if (!panel.hidden) {
      panel.hidden = true;
      toggle.setAttribute('aria-expanded', 'false');
      toggle.textContent = t('showWording');
      return;
    }
    panel.hidden = false;
    toggle.setAttribute('aria-expanded', 'true');
    toggle.textContent = t('hideWording');
    panel.setAttribute('aria-busy', 'true');
    panel.replaceChildren(el('p', 'empty', t('wordingLoading')));
    const params = new URLSearchParams({ lang: hit.language === 'en' ? 'en' : 'ko' });
    if (hit.quote && hit.quote.paragraph) params.set('paragraph', String(hit.quote.paragraph));
    try {
      const result = await api('/api/clauses/' + encodeURIComponent(hit.clause_id) + '?' + params, {
        method: 'GET',
      });
      if (!result.ok) {
        const message = result.body && result.body.message ? label(result.body.message) : t('wordingError');
        panel.replaceChildren(el('p', 'notice error', message));
        return;
      }
      renderWording(panel, result.body);
    } catch (error) {
      if (error.message !== 'unauthorized') panel.replaceChildren(el('p', 'notice error', t('wordingError')));
    } finally {
      panel.removeAttribute('aria-busy');
    }
  }

  function renderWording(panel, article) {
    const parts = [];
    const heading = article.citation || article.title || article.clause_id;
    if (heading) parts.push(el('p', 'wording-title', heading));
    const list = el('ol', 'wording-paragraphs');
    list.lang = article.language || lang;
    let marked = null;
    for (const paragraph of article.paragraphs) {
      const item = el('li', 'wording-paragraph' + (paragraph.highlight ? ' highlight' : ''));
      if (paragraph.number !== null && paragraph.number !== undefined) {
        item.dataset.paragraph = String(paragraph.number);
      }
      if (paragraph.marker) item.append(el('span', 'paragraph-marker', paragraph.marker));
      item.append(el('span', 'paragraph-text', paragraph.text));
      if (paragraph.highlight) {
        item.setAttribute('aria-current', 'true');
        item.title = t('highlighted');
        marked = item;
      }
      list.append(item);
    }
    parts.push(list);
    panel.replaceChildren(...parts);
    if (marked && marked.scrollIntoView) marked.scrollIntoView({ block: 'nearest' });
  }

  // ------------------------------------------------------------------------------- cases

  function definition(list, key, value) {
    if (value === null || value === undefined || value === '') return;
    list.append(el('dt', null, words().fields[key] || key));
    list.append(el('dd', null, String(value)));
  }

  function statusPill(summary) {
    const pill = el('span', 'pill status-' + summary.status, label(summary.status_label) || summary.status);
    return pill;
  }

  function timeline(items) {
    const list = el('ol', 'timeline');
    for (const step of items) {
      const item = el('li');
      item.append(el('span', 'timeline-label', label(step.label) || step.status));
      item.append(el('time', 'timeline-time', dateTime(step.at)));
      if (step.note) item.append(el('span', 'timeline-note', step.note));
      list.append(item);
    }
    return list;
  }

  function renderCase(summary) {
    const card = el('article', 'case case-' + summary.kind);
    const head = el('header', 'case-head');
    const title = el('div', 'case-title');
    title.append(el('span', 'case-kind', words().kinds[summary.kind] || summary.kind));
    title.append(el('strong', 'case-id', summary.id));
    head.append(title);
    head.append(statusPill(summary));
    if (summary.overdue) head.append(el('span', 'pill danger', t('overdueFlag')));
    card.append(head);

    const facts = el('dl', 'facts');
    if (summary.kind === 'claim') {
      const policy = summary.policy;
      definition(facts, 'policy_number', summary.policy_number);
      if (policy) definition(facts, 'product', label(policy.product_label));
      if (policy) definition(facts, 'customer_id', policy.customer_id);
      definition(facts, 'incident_type', label(summary.incident_type_label));
      definition(facts, 'incident_date', summary.incident_date);
      definition(facts, 'incident_place', summary.incident_place);
      definition(facts, 'description', summary.description);
      if (summary.injuries !== null) {
        definition(facts, 'injuries', summary.injuries ? words().yes : words().no);
      }
      if (summary.assessed_amount !== null) {
        definition(facts, 'assessed_amount', money(summary.assessed_amount));
      }
      if (summary.paid_amount !== null) definition(facts, 'paid_amount', money(summary.paid_amount));
      definition(facts, 'updated_at', dateTime(summary.updated_at));
      definition(facts, 'next_step', label(summary.next_step));
    } else if (summary.kind === 'complaint') {
      definition(facts, 'category', label(summary.category_label));
      definition(facts, 'customer_id', summary.customer_id);
      definition(facts, 'policy_number', summary.policy_number);
      definition(facts, 'opened_at', dateTime(summary.opened_at));
      definition(facts, 'due_date', summary.due_date);
      definition(facts, 'description', summary.description);
      definition(facts, 'desired_outcome', summary.desired_outcome);
    } else if (summary.kind === 'change') {
      definition(facts, 'policy_number', summary.policy_number);
      definition(facts, 'change_type', label(summary.change_type_label));
      definition(facts, 'new_value', summary.new_value);
      definition(facts, 'created_at', dateTime(summary.created_at));
    } else if (summary.kind === 'policy') {
      definition(facts, 'product', label(summary.product_label));
      definition(facts, 'customer_id', summary.customer_id);
      definition(facts, 'period', summary.start_date + ' ~ ' + summary.end_date);
      if (summary.sum_insured !== null) definition(facts, 'sum_insured', money(summary.sum_insured));
      definition(facts, 'beneficiary', summary.beneficiary);
    }
    card.append(facts);

    if (Array.isArray(summary.history) && summary.history.length) {
      card.append(el('h3', 'case-sub', t('history')));
      card.append(timeline(summary.history));
    }
    if (summary.kind === 'policy') {
      card.append(el('h3', 'case-sub', t('claimsOnPolicy')));
      if (!summary.claims.length) {
        card.append(el('p', 'empty', t('noClaims')));
      } else {
        const list = el('ul', 'mini-list');
        for (const claim of summary.claims) {
          const item = el('li');
          const open = el('button', 'link-button', claim.id);
          open.type = 'button';
          open.addEventListener('click', () => loadCase(claim.id));
          item.append(open, ' ', statusPill(claim));
          item.append(el('span', 'muted', ' ' + label(claim.incident_type_label) + ' · ' +
            claim.incident_date));
          list.append(item);
        }
        card.append(list);
      }
    }
    return card;
  }

  function renderIdentity(identity) {
    if (!identity) return el('p', 'notice info', t('identityHint'));
    if (identity.matched && identity.customer) {
      return el('p', 'notice ok', t('identityMatched', {
        name: identity.customer.name,
        phone: identity.customer.phone_masked || '—',
      }));
    }
    return el('p', 'notice error', t('identityFailed'));
  }

  function renderCases(cases, identity) {
    if (cases.status !== 'ok') {
      statusNote(els.casePanel, cases);
      return;
    }
    if (!cases.found.length && !cases.missing.length) {
      empty(els.casePanel, 'caseEmpty');
      return;
    }
    const nodes = [];
    if (cases.found.length) nodes.push(renderIdentity(identity));
    for (const summary of cases.found) nodes.push(renderCase(summary));
    for (const id of cases.missing) nodes.push(el('p', 'notice warn', t('notFound', { id })));
    els.casePanel.replaceChildren(...nodes);
  }

  async function loadCase(id) {
    try {
      const result = await api('/api/cases/' + encodeURIComponent(id), { method: 'GET' });
      if (result.ok) {
        shownCase = result.body;
        els.casePanel.replaceChildren(renderCase(result.body));
      } else {
        els.casePanel.replaceChildren(el('p', 'notice warn', label(result.body && result.body.message)));
      }
      els.casePanel.closest('.card').scrollIntoView({ block: 'nearest' });
    } catch (error) {
      /* redirected to sign-in */
    }
  }

  // ------------------------------------------------------------------------------ queues

  function renderQueues() {
    if (!lastQueues) return;
    const { handoffs, overdue, identity } = lastQueues;
    if (!handoffs) {
      els.handoffs.replaceChildren(el('li', 'empty', t('queueError')));
      els.handoffsCount.textContent = '';
    } else {
      els.handoffsCount.textContent = String(handoffs.count);
      if (!handoffs.items.length) {
        els.handoffs.replaceChildren(el('li', 'empty', t('noHandoffs')));
      } else {
        els.handoffs.replaceChildren(...handoffs.items.map(renderHandoff));
      }
    }
    if (!overdue) {
      els.overdue.replaceChildren(el('li', 'empty', t('queueError')));
      els.overdueCount.textContent = '';
    } else {
      els.overdueCount.textContent = String(overdue.count);
      if (!overdue.items.length) {
        els.overdue.replaceChildren(el('li', 'empty', t('noOverdue')));
      } else {
        els.overdue.replaceChildren(...overdue.items.map((c) => renderOverdue(c, overdue.today)));
      }
    }
    renderIdentityLocks(identity);
  }

  function renderHandoff(handoff) {
    const item = el('li', 'queue-item');
    const head = el('div', 'queue-head');
    head.append(el('strong', null, '#' + handoff.id + ' ' + (label(handoff.reason_label) || handoff.reason)));
    head.append(el('span', 'pill', handoff.language === 'en' ? 'EN' : 'KO'));
    item.append(head);
    const meta = el('p', 'queue-meta');
    meta.textContent = dateTime(handoff.created_at) + ' · ' + handoff.channel +
      (handoff.customer_id ? ' · ' + t('customer') + ' ' + handoff.customer_id : '');
    item.append(meta);
    const details = el('details', 'queue-summary');
    details.append(el('summary', null, t('summary')));
    details.append(el('pre', null, handoff.summary));
    item.append(details);
    return item;
  }

  function renderOverdue(complaint, today) {
    const item = el('li', 'queue-item overdue');
    const head = el('div', 'queue-head');
    const open = el('button', 'link-button', complaint.id);
    open.type = 'button';
    open.setAttribute('aria-label', t('open') + ' ' + complaint.id);
    open.addEventListener('click', () => loadCase(complaint.id));
    head.append(open);
    head.append(statusPill(complaint));
    item.append(head);
    const days = Math.round((Date.parse(today) - Date.parse(complaint.due_date)) / 86400000);
    const meta = el('p', 'queue-meta');
    meta.textContent = label(complaint.category_label) + ' · ' + t('dueBy', { date: complaint.due_date }) +
      (days > 0 ? ' · ' + t('daysOver', { days }) : '');
    item.append(meta);
    return item;
  }

  function subjectLabel(type) {
    return words().subjects[type] || type;
  }

  function renderIdentityLocks(identity) {
    if (!identity) {
      els.locks.replaceChildren(el('li', 'empty', t('queueError')));
      els.bursts.replaceChildren();
      els.locksCount.textContent = '';
      els.burstsCount.textContent = '';
      return;
    }
    els.locksCount.textContent = String(identity.locks.length);
    if (!identity.locks.length) {
      els.locks.replaceChildren(el('li', 'empty', t('noLocks')));
    } else {
      els.locks.replaceChildren(...identity.locks.map(renderLock));
    }
    // A locked number is already listed above; the rest are attacks in progress.
    const bursts = identity.bursts.filter((burst) => !burst.locked);
    els.burstsCount.textContent = bursts.length ? String(bursts.length) : '';
    if (!bursts.length) {
      els.bursts.replaceChildren(el('li', 'empty', t('noBursts')));
    } else {
      els.bursts.replaceChildren(...bursts.map(renderBurst));
    }
  }

  function subjectHead(subject) {
    const head = el('div', 'queue-head');
    const title = el('span', 'queue-subject');
    title.append(el('strong', 'case-id', subject.subject_id));
    title.append(el('span', 'case-kind', subjectLabel(subject.subject_type)));
    head.append(title);
    return head;
  }

  function renderLock(lock) {
    const item = el('li', 'queue-item locked');
    const head = subjectHead(lock);
    const button = el('button', 'button secondary small unlock', t('unlock'));
    button.type = 'button';
    button.setAttribute('aria-label', t('unlockLabel', { id: lock.subject_id }));
    button.addEventListener('click', () => unlock(lock.subject_id, button));
    head.append(button);
    item.append(head);
    item.append(el('p', 'queue-meta', t('lockMeta', {
      failures: lock.failures,
      time: dateTime(lock.locked_at),
    })));
    return item;
  }

  function renderBurst(burst) {
    const item = el('li', 'queue-item burst');
    item.append(subjectHead(burst));
    item.append(el('p', 'queue-meta', t('burstMeta', {
      failures: burst.failures,
      conversations: burst.conversations,
      time: dateTime(burst.last_failed_at),
    })));
    return item;
  }

  function showLocksError(message) {
    els.locksError.textContent = message || '';
    els.locksError.hidden = !message;
  }

  async function unlock(subjectId, button) {
    if (!window.confirm(t('unlockConfirm', { id: subjectId }))) return;
    showLocksError(null);
    button.disabled = true;
    button.textContent = t('unlocking');
    try {
      const result = await api('/api/identity-locks/' + encodeURIComponent(subjectId) + '/unlock', {
        method: 'POST',
      });
      if (!result.ok) {
        const message = result.body && result.body.message;
        showLocksError(message ? label(message) : t('unlockFailed', { id: subjectId }));
      }
    } catch (error) {
      if (error.message === 'unauthorized') return;
      showLocksError(t('unlockFailed', { id: subjectId }));
    }
    // Unlocked, or already unlocked by someone else: either way the list is out of date.
    await loadQueues();
  }

  async function loadQueues() {
    try {
      const [handoffs, overdue, identity] = await Promise.all([
        api('/api/handoffs', { method: 'GET' }),
        api('/api/complaints/overdue', { method: 'GET' }),
        api('/api/identity-locks', { method: 'GET' }),
      ]);
      lastQueues = {
        handoffs: handoffs.ok ? handoffs.body : null,
        overdue: overdue.ok ? overdue.body : null,
        identity: identity.ok ? identity.body : null,
      };
    } catch (error) {
      if (error.message === 'unauthorized') return;
      lastQueues = { handoffs: null, overdue: null, identity: null };
    }
    renderQueues();
  }

  // ------------------------------------------------------------------------------- copy

  async function copySuggestion() {
    if (!suggestion) return;
    let copied = false;
    try {
      await navigator.clipboard.writeText(suggestion);
      copied = true;
    } catch (error) {
      const scratch = el('textarea');
      scratch.value = suggestion;
      scratch.setAttribute('readonly', '');
      scratch.className = 'sr-only';
      document.body.append(scratch);
      scratch.select();
      try {
        copied = document.execCommand('copy');
      } catch (ignored) {
        copied = false;
      }
      scratch.remove();
    }
    els.copyLabel.textContent = copied ? t('copied') : t('copyFailed');
    els.copy.classList.toggle('copied', copied);
    window.setTimeout(() => {
      els.copyLabel.textContent = t('copy');
      els.copy.classList.remove('copied');
    }, 1800);
  }

  // ----------------------------------------------------------------------------- language

  function applyLanguage() {
    I18N.apply(STRINGS, lang);
    els.toggle.textContent = words().toggle;
    els.toggle.setAttribute('aria-label', lang === 'ko' ? 'Switch to English' : '한국어로 보기');
    const opened = shownCase;
    if (lastResult) renderResult();
    if (opened) {
      shownCase = opened;
      els.casePanel.replaceChildren(renderCase(opened));
    }
    renderQueues();
  }

  // ------------------------------------------------------------------------------- wiring

  const agentMeta = document.querySelector('meta[name="bodam-agent"]');
  const agent = (agentMeta && agentMeta.content) || '';
  els.agentName.textContent = agent;
  els.agentInitial.textContent = agent.slice(0, 1).toUpperCase();

  els.form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!els.text.value.trim()) {
      showError(lang === 'en' ? "Type or paste what the caller said." : '고객이 말한 내용을 입력해 주세요.');
      return;
    }
    analyse(true);
  });
  els.text.addEventListener('input', schedule);
  els.text.addEventListener('paste', () => window.setTimeout(() => analyse(true), 0));
  els.text.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      analyse(true);
    }
  });
  els.clear.addEventListener('click', () => {
    els.text.value = '';
    lastSent = '';
    updateCounter();
    showError(null);
    els.text.focus();
  });
  document.querySelectorAll('.sample').forEach((button) => {
    button.addEventListener('click', () => {
      els.text.value = button.dataset.sample;
      updateCounter();
      analyse(true);
    });
  });
  els.copy.addEventListener('click', copySuggestion);
  els.refresh.addEventListener('click', loadQueues);
  els.toggle.addEventListener('click', () => {
    lang = lang === 'ko' ? 'en' : 'ko';
    localStorage.setItem(LANG_KEY, lang);
    applyLanguage();
  });
  els.logout.addEventListener('click', async () => {
    await fetch('/api/logout', { method: 'POST', credentials: 'same-origin' }).catch(() => null);
    window.location.assign('/console/login');
  });

  applyLanguage();
  updateCounter();
  loadQueues();
  window.setInterval(loadQueues, QUEUE_REFRESH_MS);
  els.text.focus();
})();
