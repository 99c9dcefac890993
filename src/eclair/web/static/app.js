// Éclair's chat page: boot (session, language, theme), conversations, and the chat itself.
// Talks only to this server's /api (see eclair/api/conversations.py for the answer stream).

import { api, stream, setCsrf, ApiError } from "./api.js";
import { clearApprovals, onToolEvent } from "./approval.js";
import { applyTranslations, lang, setLanguage, t } from "./i18n.js";
import { bindDialogs, bindDocuments, bindKeys, setDocumentsEnabled, setPackAdmin } from "./panels.js";
import { bindSidebar, configureSidebar, forget, refreshConversations, renderConversations, setQuery } from "./sidebar.js";
import { $, h, toast } from "./ui.js";
import { bindBadges, loadPackTitles } from "./badges.js";
import { renderExport } from "./answer-tools.js";
import { bindSettings, loadPreferences, preferredModel } from "./settings.js";
import { bindAttach, configureAttach, renderChips, startAttach } from "./attach.js";
import { configureThread, renderMessages, scrollToEnd, setWelcome, trackScroll, updateStreaming } from "./thread.js";

const state = {
  me: null,
  conversation: null, // the open conversation, or null for a new chat
  messages: [],
  models: [],
  defaultModel: null,
  controller: null, // AbortController of the answer being streamed
  follow: true, // keep the newest text in view; false once the user scrolls up to read
};

// -- theme and language ------------------------------------------------------------------

function darkNow() {
  const chosen = document.documentElement.dataset.theme;
  if (chosen) return chosen === "dark";
  return window.matchMedia("(prefers-color-scheme: dark)").matches;
}

function applyTheme() {
  const saved = localStorage.getItem("eclair.theme");
  if (saved === "light" || saved === "dark") document.documentElement.dataset.theme = saved;
}

function toggleTheme() {
  const next = darkNow() ? "light" : "dark";
  document.documentElement.dataset.theme = next;
  localStorage.setItem("eclair.theme", next);
}

function toggleLanguage() {
  setLanguage(lang() === "fr" ? "en" : "fr");
  rerender();
}

/** Everything whose words depend on the language or the preferences. */
function rerender() {
  renderConversations();
  renderMessages();
  renderTitle();
  renderModels();
}

// -- conversations (the list itself is sidebar.js) ---------------------------------------

function conversationChanged(updated) {
  if (state.conversation && state.conversation.id === updated.id) {
    state.conversation = updated;
    renderTitle();
  }
}

/** Show the conversation as the server has it (after a version change or an answer). */
function showDetail(detail) {
  const { messages, ...conversation } = detail;
  state.conversation = conversation;
  state.messages = messages;
  renderTitle();
  renderMessages();
}

async function reloadMessages(id, delayMs = 0) {
  if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
  if (state.controller || !state.conversation || state.conversation.id !== id) return;
  try {
    const detail = await api("GET", `/api/conversations/${encodeURIComponent(id)}`);
    if (!state.controller && state.conversation && state.conversation.id === id) showDetail(detail);
  } catch {
    // the page keeps what it has shown
  }
}

async function openConversation(id) {
  if (state.controller) stopAnswer();
  let detail;
  try {
    detail = await api("GET", `/api/conversations/${encodeURIComponent(id)}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      newChat();
      return;
    }
    return handleError(error);
  }
  const { messages, ...conversation } = detail;
  state.conversation = conversation;
  state.messages = messages;
  if (location.hash !== `#/c/${id}`) history.replaceState(null, "", `#/c/${id}`);
  closeSidebar();
  renderTitle();
  renderModels();
  renderMessages();
  renderConversations();
  scrollToEnd(true);
}

function newChat() {
  if (state.controller) stopAnswer();
  state.conversation = null;
  state.messages = [];
  history.replaceState(null, "", location.pathname);
  closeSidebar();
  renderTitle();
  renderModels();
  renderMessages();
  renderConversations();
  $("input").focus();
}

function renderTitle() {
  const title = state.conversation ? state.conversation.title || t("conv.untitled") : t("nav.new");
  $("title").textContent = title;
  document.title = state.conversation && state.conversation.title ? `${state.conversation.title} · Éclair` : "Éclair";
  renderExport(state.conversation);
  renderChips();
}

// -- models ------------------------------------------------------------------------------

async function loadModels() {
  try {
    const models = await api("GET", "/api/models");
    state.models = models.data;
    state.defaultModel = models.default;
  } catch (error) {
    handleError(error);
  }
  renderModels();
}

// `eclair` is the assistant (tools, documents, checks); any other id is a raw model, said so
// in the picker, with one line under it on what a raw model skips.
function modelLabel(id) {
  return id === "eclair" ? t("model.eclair") : `${id} — ${t("model.raw")}`;
}

function renderModels() {
  const select = $("model");
  const preferred = state.models.includes(preferredModel()) ? preferredModel() : null;
  const current = (state.conversation && state.conversation.model) || preferred || state.defaultModel;
  select.replaceChildren(...state.models.map((id) => h("option", { value: id, text: modelLabel(id), selected: id === current })));
  select.hidden = state.models.length < 2;
  renderModelHint();
}

function renderModelHint() {
  const raw = state.models.includes("eclair") && $("model").value && $("model").value !== "eclair";
  $("model-hint").hidden = !raw;
}

async function changeModel() {
  renderModelHint();
  if (!state.conversation) return;
  try {
    state.conversation = await api("PATCH", `/api/conversations/${encodeURIComponent(state.conversation.id)}`, { model: $("model").value });
  } catch (error) {
    handleError(error);
  }
}

// -- sending -----------------------------------------------------------------------------

function setBusy(busy) {
  $("send").hidden = busy;
  $("stop").hidden = !busy;
}

async function ensureConversation() {
  if (state.conversation) return state.conversation;
  const model = $("model").value || undefined;
  const created = await api("POST", "/api/conversations", model && model !== state.defaultModel ? { model } : {});
  state.conversation = created;
  history.replaceState(null, "", `#/c/${created.id}`);
  return created;
}

async function send(content, editOf = null) {
  if (state.controller) return;
  let conversation;
  try {
    conversation = await ensureConversation();
  } catch (error) {
    return handleError(error);
  }
  const kept = editOf ? state.messages.slice(0, state.messages.findIndex((m) => m.id === editOf)) : state.messages;
  const asked = { id: null, role: "user", content, status: "complete" };
  state.messages = [...kept, asked];
  await answer(`/api/conversations/${encodeURIComponent(conversation.id)}/messages`, { content, edit_of: editOf || undefined }, asked);
}

async function regenerate() {
  if (state.controller || !state.conversation) return;
  while (state.messages.length && state.messages[state.messages.length - 1].role === "assistant") state.messages.pop();
  await answer(`/api/conversations/${encodeURIComponent(state.conversation.id)}/regenerate`, {}, null);
}

async function answer(path, body, asked) {
  const reply = { id: null, role: "assistant", content: "", status: "streaming", eclair: null };
  state.messages.push(reply);
  state.controller = new AbortController();
  setBusy(true);
  renderMessages();
  scrollToEnd(true);
  let started = false;
  try {
    await stream(path, body, (event) => {
      if (event.type === "start") {
        started = true;
        if (asked && event.user_message) Object.assign(asked, event.user_message);
        Object.assign(reply, event.assistant_message, { content: "" });
        state.conversation = event.conversation;
        renderTitle();
      } else if (event.type === "delta") {
        reply.content += event.text;
        updateStreaming(reply);
      } else if (event.type === "tool") {
        onToolEvent(event, reply);
      } else if (event.type === "error") {
        toast(event.error.message);
      } else if (event.type === "done") {
        Object.assign(reply, event.message);
      }
    }, state.controller.signal);
  } catch (error) {
    if (error.name === "AbortError") {
      reply.status = "interrupted";
    } else if (!started) {
      // Nothing was stored: take the message back so it can be sent again.
      state.messages = state.messages.filter((m) => m !== reply && m !== asked);
      if (asked) $("input").value = asked.content;
      handleError(error);
    } else {
      reply.status = "error";
      handleError(error);
    }
  } finally {
    if (reply.status === "streaming") reply.status = "interrupted";
    clearApprovals();
    state.controller = null;
    setBusy(false);
    renderMessages();
    scrollToEnd(false);
    // the stored answer: versions, feedback, and (after a stop) what the server kept
    if (state.conversation) await reloadMessages(state.conversation.id, reply.status === "interrupted" ? 400 : 0);
    scrollToEnd(false);
    await refreshConversations();
    // A count of finished answers, for tests and tools that wait on the page.
    document.body.dataset.answered = String(Number(document.body.dataset.answered || 0) + 1);
  }
}

function stopAnswer() {
  if (state.controller) state.controller.abort();
}

function submit(event) {
  if (event) event.preventDefault();
  const input = $("input");
  const content = input.value.trim();
  if (!content || state.controller) return;
  input.value = "";
  autosize();
  send(content);
}

function autosize() {
  const input = $("input");
  input.style.height = "auto";
  input.style.height = `${Math.min(input.scrollHeight + 2, window.innerHeight * 0.4)}px`;
}

// -- session -----------------------------------------------------------------------------

function handleError(error) {
  if (error instanceof ApiError && error.status === 401) {
    showLogin();
    return;
  }
  toast(error instanceof ApiError && error.status === 0 ? t("error.network") : error.message || t("error.network"));
}

function showLogin() {
  $("app").hidden = true;
  $("login").hidden = false;
  $("login-name").focus();
}

async function login(event) {
  event.preventDefault();
  $("login-error").hidden = true;
  try {
    const me = await api("POST", "/api/auth/login", { name: $("login-name").value, password: $("login-password").value });
    $("login-password").value = "";
    await start(me);
  } catch (error) {
    $("login-error").textContent = error instanceof ApiError && error.status === 401 ? t("login.failed") : error.message;
    $("login-error").hidden = false;
  }
}

async function logout() {
  try {
    await api("POST", "/api/auth/logout");
  } catch {
    // the session is gone either way
  }
  setCsrf(null);
  state.conversation = null;
  state.messages = [];
  forget();
  history.replaceState(null, "", location.pathname);
  showLogin();
}

async function start(me) {
  state.me = me;
  setCsrf(me.csrf_token);
  $("login").hidden = true;
  $("app").hidden = false;
  const multi = me.mode === "multi-user";
  $("user-name").textContent = multi ? me.user.name : "";
  $("logout").hidden = !multi;
  setDocumentsEnabled(me.documents !== false);
  await startAttach(me.documents !== false);
  setPackAdmin(!multi || Boolean(me.user && me.user.is_admin));
  await Promise.all([loadModels(), loadPackTitles(), loadPreferences(rerender)]);
  renderModels(); // the preferred model is known now
  await refreshConversations();
  // A question typed while the list was loading has started its own conversation: keep it.
  if (!state.controller && !state.conversation) {
    const match = /^#\/c\/([\w-]+)$/.exec(location.hash);
    if (match) await openConversation(match[1]);
    else newChat();
  }
  document.body.dataset.ready = "1"; // for tests and tools that wait on the page
}

// -- layout and keys ---------------------------------------------------------------------

function openSidebar() {
  $("sidebar").classList.add("open");
  $("scrim").hidden = false;
}

function closeSidebar() {
  $("sidebar").classList.remove("open");
  $("scrim").hidden = true;
}

let searchTimer = null;

function bind() {
  $("composer").addEventListener("submit", submit);
  $("input").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) submit(event);
  });
  $("input").addEventListener("input", autosize);
  $("stop").addEventListener("click", stopAnswer);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && state.controller) {
      event.preventDefault();
      stopAnswer();
    }
  });
  $("new-chat").addEventListener("click", newChat);
  for (const suggestion of document.querySelectorAll(".suggestion")) {
    suggestion.addEventListener("click", () => {
      $("input").value = suggestion.textContent;
      submit();
    });
  }
  $("search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      setQuery($("search").value.trim());
      refreshConversations();
    }, 200);
  });
  $("model").addEventListener("change", changeModel);
  $("toggle-theme").addEventListener("click", toggleTheme);
  $("toggle-lang").addEventListener("click", toggleLanguage);
  $("logout").addEventListener("click", logout);
  $("login-form").addEventListener("submit", login);
  $("open-sidebar").addEventListener("click", openSidebar);
  $("scrim").addEventListener("click", closeSidebar);
  window.addEventListener("hashchange", () => {
    const match = /^#\/c\/([\w-]+)$/.exec(location.hash);
    if (match && (!state.conversation || state.conversation.id !== match[1])) openConversation(match[1]);
  });
  $("skip-link").addEventListener("click", (event) => {
    event.preventDefault(); // the hash is the open conversation's address
    $("input").focus();
  });
  trackScroll();
  bindBadges();
  bindSidebar();
  configureSidebar({
    activeId: () => state.conversation && state.conversation.id,
    open: openConversation,
    deleted: () => newChat(),
    restored: (id) => openConversation(id),
    changed: conversationChanged,
    error: handleError,
  });
  bindSettings(() => state.models);
  bindAttach();
  configureAttach({ conversation: () => state.conversation, ensureConversation, changed: conversationChanged, error: handleError });
  bindDialogs();
  bindDocuments();
  bindKeys();
}

async function boot() {
  applyTheme();
  applyTranslations(document);
  setWelcome($("welcome"));
  configureThread(state, { send, regenerate, showDetail, handleError });
  bind();
  let me;
  try {
    me = await api("GET", "/api/me");
  } catch (error) {
    $("app").hidden = false;
    return handleError(error);
  }
  if (me.user) await start(me);
  else showLogin();
}

boot();
