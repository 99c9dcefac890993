// Tool calls in the chat: the approval prompt (Continue / Always allow / Deny) for each MCP
// tool call the model makes, and the trail of calls under an answer.
// The answer stream sends `tool` frames (eclair/api/serving_conversations.py); an `approval`
// frame waits until POST /api/tool-approvals/{id} answers it. Nothing runs without that answer.

import { api } from "./api.js";
import { lang } from "./i18n.js";
import { $, h, toast } from "./ui.js";

const STRINGS = {
  en: {
    title: "Éclair wants to use a tool",
    hint: "Nothing runs until you choose.",
    once: "Continue",
    always: "Always allow",
    deny: "Deny",
    trail: "Tools used",
    ok: "done",
    error: "failed",
    denied: "denied",
    pending: "waiting",
  },
  fr: {
    title: "Éclair veut utiliser un outil",
    hint: "Rien ne s'exécute avant votre choix.",
    once: "Continuer",
    always: "Toujours autoriser",
    deny: "Refuser",
    trail: "Outils utilisés",
    ok: "fait",
    error: "échec",
    denied: "refusé",
    pending: "en attente",
  },
};

function say(key) {
  return (STRINGS[lang()] || STRINGS.en)[key];
}

function box() {
  let node = $("approvals");
  if (!node) {
    node = h("div", { id: "approvals", class: "approvals", "aria-live": "assertive" });
    $("composer").before(node);
  }
  return node;
}

function shortName(call) {
  const prefix = `mcp__${call.server}__`;
  return call.tool.startsWith(prefix) ? call.tool.slice(prefix.length) : call.tool;
}

function approvalCard(event) {
  const call = event.call;
  const card = h("section", { class: "approval", role: "alertdialog", "aria-label": say("title"), dataset: { approvalId: event.approval_id, callId: call.id, tool: call.tool } });
  const decide = async (decision) => {
    for (const button of card.querySelectorAll("button")) button.disabled = true;
    try {
      await api("POST", `/api/tool-approvals/${encodeURIComponent(event.approval_id)}`, { decision });
      card.remove();
    } catch (error) {
      toast(error.message);
      card.remove();
    }
  };
  card.append(
    h("h3", { text: say("title") }),
    h("p", { class: "tool-name" }, h("strong", { text: shortName(call) }), h("span", { class: "muted", text: ` · ${call.server}` })),
    h("pre", { class: "tool-arguments", text: JSON.stringify(call.arguments, null, 2) }),
    h("p", { class: "muted small", text: say("hint") }),
    h(
      "div",
      { class: "row" },
      h("button", { type: "button", class: "primary", dataset: { decision: "once" }, onclick: () => decide("once"), text: say("once") }),
      h("button", { type: "button", dataset: { decision: "always" }, onclick: () => decide("always"), text: say("always") }),
      h("button", { type: "button", class: "danger", dataset: { decision: "deny" }, onclick: () => decide("deny"), text: say("deny") }),
    ),
  );
  return card;
}

/** Handle one `tool` frame of the answer being streamed into `reply`. */
export function onToolEvent(event, reply) {
  const calls = (reply.toolCalls = reply.toolCalls || []);
  const known = calls.findIndex((c) => c.id === event.call.id);
  if (known >= 0) calls[known] = event.call;
  else calls.push(event.call);
  if (event.event === "approval") {
    const card = approvalCard(event);
    box().appendChild(card);
    card.querySelector("button.primary").focus();
  } else if (event.event === "result") {
    // decided without this page (a timeout, another tab): the prompt no longer applies
    for (const card of box().querySelectorAll(".approval")) if (card.dataset.callId === event.call.id) card.remove();
  }
}

/** Remove every prompt (the answer ended or was stopped: the server denies what was waiting). */
export function clearApprovals() {
  const node = $("approvals");
  if (node) node.replaceChildren();
}

/** The calls an answer made, as a collapsible list; null when it made none. */
export function toolTrail(message) {
  const calls = (message.eclair && message.eclair.tool_calls) || message.toolCalls || [];
  if (!calls.length) return null;
  const items = calls.map((call) =>
    h(
      "li",
      { class: `tool-call ${call.status}`, dataset: { status: call.status, decision: call.decision } },
      h("span", {}, h("strong", { text: shortName(call) }), ` · ${call.server} — ${say(call.status) || call.status}`),
      call.result ? h("pre", { text: call.result }) : null,
    ),
  );
  return h("details", { class: "tool-trail" }, h("summary", { text: `${say("trail")} (${calls.length})` }), h("ul", {}, ...items));
}
