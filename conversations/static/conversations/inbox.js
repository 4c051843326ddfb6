// The agent inbox: one socket to /ws/inbox/<store>/; live list, the open conversation, and its actions.
// Everything a shopper wrote is put on the page as text (textContent), never as HTML.
(function () {
  "use strict";
  var root = document.getElementById("inbox");
  if (!root) return;
  var selected = parseInt(root.dataset.selected, 10) || null;
  var messages = document.getElementById("messages");
  var typingLine = document.getElementById("typing");
  var errorLine = document.getElementById("error");
  var socket, typingTimer, sentTyping = false, ref = 0;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function show(m) {
    if (!messages || document.getElementById("m" + m.id)) return;
    var li = el("li", "msg " + m.sender);
    li.id = "m" + m.id;
    var who = m.sender === "note" ? "Note" : m.sender === "agent" ? (m.author ? m.author.name : "Agent") : m.sender === "bot" ? "Bot" : "Shopper";
    li.appendChild(el("b", "", who + ": "));
    li.appendChild(el("span", "text", m.text));
    (m.buttons || []).forEach(function (b) { li.appendChild(el("span", "button-chip", b.title)); });
    (m.cards || []).forEach(function (c) { li.appendChild(el("span", "card-chip", c.title + " · " + c.price + " " + c.currency)); });
    messages.appendChild(li);
    messages.scrollTop = messages.scrollHeight;
  }

  function send(frame) {
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(frame));
  }

  function act(action, extra) {
    var frame = { type: action, conversation_id: selected, ref: String(++ref) };
    Object.keys(extra || {}).forEach(function (k) { frame[k] = extra[k]; });
    send(frame);
  }

  function bumpList(conversationId, line) {
    var item = document.querySelector('#conversation-list li[data-id="' + conversationId + '"]');
    if (item) {
      item.parentNode.insertBefore(item, item.parentNode.firstChild);
      if (line) item.classList.add("fresh");
    } else {
      var list = document.getElementById("conversation-list");
      var li = el("li", "fresh");
      li.dataset.id = conversationId;
      var a = el("a", "", "New activity in conversation " + conversationId);
      a.href = "?c=" + conversationId;
      li.appendChild(a);
      list.insertBefore(li, list.firstChild);
    }
  }

  function holderText(c) {
    if (c.held_by === "bot") return "The bot is handling this · " + c.status;
    return (c.agent ? "Held by " + c.agent.name : "Waiting for a person") + " · " + c.status;
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.socket);
    socket.onopen = function () { if (selected) send({ type: "subscribe", conversation_id: selected }); };
    socket.onclose = function () { setTimeout(connect, 2000); };
    socket.onmessage = function (event) {
      var f = JSON.parse(event.data);
      if (f.type === "conversation") { messages.textContent = ""; f.messages.forEach(show); }
      else if (f.type === "message") {
        if (f.conversation_id === selected) show(f);
        bumpList(f.conversation_id, true);
        if (f.sender === "shopper" && document.hidden && window.Notification && Notification.permission === "granted") {
          new Notification("New message", { body: f.text });
        }
      }
      else if (f.type === "changed") {
        if (f.conversation.id === selected) document.getElementById("holder").textContent = holderText(f.conversation);
        bumpList(f.conversation.id, false);
      }
      else if (f.type === "typing" && f.conversation_id === selected && typingLine) {
        typingLine.hidden = !f.on;
      }
      else if (f.type === "error" && errorLine) { errorLine.hidden = false; errorLine.textContent = f.message; }
      else if (f.type === "done" && errorLine) { errorLine.hidden = true; }
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
        act(action, extra);
      });
    } else {
      node.addEventListener("click", function () { act(action); });
    }
  });

  var composer = document.getElementById("composer");
  if (composer) {
    composer.addEventListener("submit", function (e) {
      e.preventDefault();
      var text = composer.elements.text.value;
      if (!text.trim()) return;
      act(composer.elements.note.checked ? "note" : "message", { text: text, client_id: "a" + Date.now() + ref });
      composer.elements.text.value = "";
      if (sentTyping) { act("typing", { on: false }); sentTyping = false; }
    });
    composer.elements.text.addEventListener("input", function () {
      if (composer.elements.note.checked) return;
      if (!sentTyping) { act("typing", { on: true }); sentTyping = true; }
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () { act("typing", { on: false }); sentTyping = false; }, 3000);
    });
  }
  if (window.Notification && Notification.permission === "default") Notification.requestPermission();
  setInterval(function () { send({ type: "heartbeat" }); }, 30000);
  connect();
})();
