// The agent inbox: one socket to /ws/inbox/<store>/; live list, the open conversation, and its actions.
// Everything a shopper wrote is put on the page as text (textContent), never as HTML.
(function () {
  "use strict";
  var root = document.getElementById("inbox");
  if (!root) return;
  var me = parseInt(root.dataset.me, 10);
  var selected = parseInt(root.dataset.selected, 10) || null;
  var messages = document.getElementById("messages");
  var typingLine = document.getElementById("typing");
  var errorLine = document.getElementById("error");
  var canned = JSON.parse((document.getElementById("canned-data") || {}).textContent || "[]");
  var socket, typingTimer, sentTyping = false, ref = 0;
  var pending = {};  // ref -> what to do with its "done"
  var moods = [];  // the open conversation's shopper messages' sentiment, oldest first

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function notify(title, body) {
    if (document.hidden && window.Notification && Notification.permission === "granted") {
      new Notification(title, { body: body || "" });
    }
  }

  function show(m) {
    if (!messages || document.getElementById("m" + m.id)) return;
    var li = el("li", "msg " + m.sender);
    li.id = "m" + m.id;
    var who = m.sender === "note" ? "Note" : m.sender === "agent" ? (m.author ? m.author.name : "Agent") : m.sender === "bot" ? "Bot" : "Shopper";
    li.appendChild(el("b", "", who + ": "));
    li.appendChild(el("span", "text", m.text));
    if (m.sentiment) {
      var mood = el("span", "mood " + m.sentiment.label, m.sentiment.label);
      mood.title = "Sentiment " + m.sentiment.score;
      li.appendChild(mood);
      moods.push(m.sentiment);
    }
    (m.buttons || []).forEach(function (b) { li.appendChild(el("span", "button-chip", b.title)); });
    (m.cards || []).forEach(function (c) { li.appendChild(el("span", "card-chip", c.title + " · " + c.price + " " + c.currency)); });
    messages.appendChild(li);
    messages.scrollTop = messages.scrollHeight;
  }

  // The side panel's mood: the latest shopper message, and the trend as queries.sentiment_summary computes it
  // (the average of the last three scores against the three before).
  function average(list) {
    return list.reduce(function (sum, s) { return sum + (s.score || 0); }, 0) / list.length;
  }

  function showMood() {
    var dd = document.getElementById("sentiment");
    if (!dd || !moods.length) return;
    var recent = moods.slice(-3), before = moods.slice(-6, -3), latest = moods[moods.length - 1];
    var trend = "steady";
    if (before.length) {
      var change = average(recent) - average(before);
      trend = change >= 0.15 ? "improving" : change <= -0.15 ? "worsening" : "steady";
    }
    dd.textContent = "";
    dd.appendChild(el("span", "mood " + latest.label, latest.label));
    dd.appendChild(document.createTextNode(" (" + latest.score + ") · "));
    dd.appendChild(el("span", "trend", trend));
  }

  function send(frame) {
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(frame));
  }

  function act(action, extra, then) {
    var frame = { type: action, conversation_id: selected, ref: String(++ref) };
    Object.keys(extra || {}).forEach(function (k) { frame[k] = extra[k]; });
    if (then) pending[frame.ref] = then;
    send(frame);
  }

  function listItem(conversationId) {
    return document.querySelector('#conversation-list li[data-id="' + conversationId + '"]');
  }

  function bumpList(conversationId, line) {
    var item = listItem(conversationId);
    if (item) {
      item.parentNode.insertBefore(item, item.parentNode.firstChild);
      if (line) item.classList.add("fresh");
    } else {
      var list = document.getElementById("conversation-list");
      var li = el("li", "fresh");
      li.dataset.id = conversationId;
      var a = el("a", "", "New activity in conversation " + conversationId);
      a.href = "?c=" + conversationId;
      a.appendChild(el("small", "unread", ""));
      a.lastChild.hidden = true;
      a.lastChild.dataset.unread = "0";
      li.appendChild(a);
      list.insertBefore(li, list.firstChild);
    }
  }

  function setUnread(conversationId, count) {
    var item = listItem(conversationId);
    var badge = item && item.querySelector(".unread");
    if (!badge) return;
    badge.dataset.unread = String(count);
    badge.textContent = count + " unread";
    badge.hidden = count === 0;
  }

  function holderText(c) {
    if (c.held_by === "bot") return "The bot is handling this · " + c.status;
    return (c.agent ? "Held by " + c.agent.name : "Waiting for a person") + " · " + c.status;
  }

  function onMessage(f) {
    if (f.conversation_id === selected) {
      show(f);
      if (f.sender === "shopper") showMood();
      if (!document.hidden) act("read", { message_id: f.id });
    }
    bumpList(f.conversation_id, true);
    if (f.sender === "shopper") {
      if (f.conversation_id !== selected || document.hidden) {
        var badge = (listItem(f.conversation_id) || document).querySelector(".unread");
        setUnread(f.conversation_id, (badge ? parseInt(badge.dataset.unread, 10) || 0 : 0) + 1);
      }
      notify("New message", f.text);
    }
  }

  function onChanged(c) {
    if (c.woke) {
      notify("A snoozed conversation is back", "Conversation " + c.id);
    } else if (c.held_by === "agent" && c.status === "open" && (!c.assignee_id || c.assignee_id === me)) {
      notify("A shopper needs a person", c.agent ? "Assigned to " + c.agent.name : "Waiting in Needs a human");
    }
    if (c.id === selected) {
      if (!c.woke) document.getElementById("holder").textContent = holderText(c);
      if ("snoozed_until" in c || c.woke) showSnoozed(c.woke ? null : c.snoozed_until);
    }
    bumpList(c.id, false);
  }

  function showSnoozed(until) {
    var line = document.getElementById("snoozed");
    var button = document.querySelector('[data-action="unsnooze"]');
    if (!line) return;
    line.hidden = !until;
    if (button) button.hidden = !until;
    if (until) line.querySelector("time").textContent = new Date(until).toLocaleString();
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.socket);
    socket.onopen = function () { if (selected) send({ type: "subscribe", conversation_id: selected }); };
    socket.onclose = function (event) {
      if (event.code === 4403) {  // signed out, or removed from the team: do not retry
        if (errorLine) { errorLine.hidden = false; errorLine.textContent = "You no longer have access to this inbox."; }
        return;
      }
      setTimeout(connect, 2000);
    };
    socket.onmessage = function (event) {
      var f = JSON.parse(event.data);
      if (f.type === "conversation") {
        messages.textContent = "";
        moods = [];
        f.messages.forEach(show);
        showMood();
        setUnread(f.conversation.id, 0);
      }
      else if (f.type === "message") onMessage(f);
      else if (f.type === "changed") onChanged(f.conversation);
      else if (f.type === "read") setUnread(f.conversation_id, f.unread);
      else if (f.type === "typing" && f.conversation_id === selected && typingLine) {
        typingLine.hidden = !f.on;
      }
      else if (f.type === "error" && errorLine) {
        delete pending[f.ref];
        errorLine.hidden = false;
        errorLine.textContent = f.message;
      }
      else if (f.type === "done") {
        if (errorLine && f.action !== "read") errorLine.hidden = true;
        if (pending[f.ref]) { pending[f.ref](f); delete pending[f.ref]; }
        if ("snoozed_until" in f) showSnoozed(f.snoozed_until);
      }
    };
  }

  document.querySelectorAll("[data-action]").forEach(function (node) {
    var action = node.dataset.action;
    if (node.tagName === "FORM") {
      node.addEventListener("submit", function (e) {
        e.preventDefault();
        var value = parseInt(node.elements[0].value, 10);
        var extra = {};
        if (action === "hand_back" && value) extra.flow_id = value;
        if (action === "assign") extra.assignee_id = value;
        if (action === "resolve") extra.ask_rating = node.elements.ask_rating.checked;
        if (action === "snooze") {
          if (!node.elements.until.value) return;
          extra.until = new Date(node.elements.until.value).toISOString();
        }
        act(action, extra);
      });
    } else {
      node.addEventListener("click", function () {
        act(action, {}, action === "transcript" ? function (f) {
          if (errorLine) { errorLine.hidden = false; errorLine.textContent = "Transcript emailed to " + f.email + "."; }
        } : null);
      });
    }
  });

  // --- the composer: replies, notes, typing, and canned responses by /shortcut ----------------------

  var composer = document.getElementById("composer");
  var picker = document.getElementById("canned-picker");
  var choice = 0;

  function matches(typed) {
    var q = typed.slice(1).toLowerCase();
    var starts = canned.filter(function (c) { return c.shortcut.indexOf(q) === 0; });
    var within = canned.filter(function (c) { return c.shortcut.indexOf(q) > 0; });
    return starts.concat(within).slice(0, 8);
  }

  function renderPicker() {
    var text = composer.elements.text.value;
    var found = /^\/[a-z0-9_-]*$/i.test(text) ? matches(text) : [];
    picker.textContent = "";
    picker.hidden = !found.length;
    choice = Math.min(choice, Math.max(found.length - 1, 0));
    found.forEach(function (c, i) {
      var li = el("li", i === choice ? "chosen" : "");
      li.setAttribute("role", "option");
      li.dataset.shortcut = c.shortcut;
      li.appendChild(el("b", "", "/" + c.shortcut));
      li.appendChild(el("span", "", " " + c.text.slice(0, 80)));
      li.addEventListener("mousedown", function (e) { e.preventDefault(); useCanned(c.shortcut); });
      picker.appendChild(li);
    });
  }

  function useCanned(shortcut) {
    picker.hidden = true;
    act("expand", { shortcut: shortcut }, function (f) {
      composer.elements.text.value = f.text;
      composer.elements.text.focus();
    });
  }

  if (composer) {
    composer.addEventListener("submit", function (e) {
      e.preventDefault();
      var text = composer.elements.text.value;
      if (!text.trim()) return;
      act(composer.elements.note.checked ? "note" : "message", { text: text, client_id: "a" + Date.now() + ref });
      composer.elements.text.value = "";
      picker.hidden = true;
      if (sentTyping) { act("typing", { on: false }); sentTyping = false; }
    });
    composer.elements.text.addEventListener("keydown", function (e) {
      if (picker.hidden) return;
      var options = picker.querySelectorAll("li");
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        choice = (choice + (e.key === "ArrowDown" ? 1 : options.length - 1)) % options.length;
        renderPicker();
      } else if (e.key === "Enter" || e.key === "Tab") {
        e.preventDefault();
        useCanned(options[choice].dataset.shortcut);
      } else if (e.key === "Escape") {
        picker.hidden = true;
      }
    });
    composer.elements.text.addEventListener("input", function () {
      renderPicker();
      if (composer.elements.note.checked) return;
      if (!sentTyping) { act("typing", { on: true }); sentTyping = true; }
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () { act("typing", { on: false }); sentTyping = false; }, 3000);
    });
  }

  // --- product cards from a catalog search ---------------------------------------------------------

  var catalog = document.getElementById("catalog-search");
  var results = document.getElementById("catalog-results");
  if (catalog) {
    catalog.addEventListener("submit", function (e) {
      e.preventDefault();
      act("search_products", { q: catalog.elements.q.value }, function (f) {
        results.textContent = "";
        if (!f.products.length) results.appendChild(el("li", "muted", "No products found."));
        f.products.forEach(function (p) {
          var li = el("li", "product");
          li.appendChild(el("span", "", p.title + " · " + p.price + " " + p.currency + (p.in_stock ? "" : " · out of stock")));
          var button = el("button", "secondary", "Send");
          button.type = "button";
          button.setAttribute("aria-label", "Send " + p.title);
          button.addEventListener("click", function () {
            act("send_products", { product_ids: [p.product_id], client_id: "p" + Date.now() + ref });
          });
          li.appendChild(button);
          results.appendChild(li);
        });
      });
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && selected) act("read", {});
  });
  if (window.Notification && Notification.permission === "default") Notification.requestPermission();
  setInterval(function () { send({ type: "heartbeat" }); }, 30000);
  connect();
})();
