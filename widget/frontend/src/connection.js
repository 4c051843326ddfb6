// The socket: hello/welcome, reconnects with backoff, and an outbox of unacknowledged messages that is
// re-sent (same client id, so the server stores each once) after every reconnect and page load.

export class Connection {
  constructor({ url, storage, hello, onFrame, onStatus }) {
    Object.assign(this, { url, storage, hello, onFrame, onStatus });
    this.ws = null;
    this.ready = false;
    this.failures = 0;
    this.firstFailureAt = 0;
    this.lastId = 0;
  }

  get outbox() {
    return this.storage.get("outbox", []);
  }

  set outbox(items) {
    this.storage.set("outbox", items);
  }

  connect() {
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (e) {
      return this.retry();
    }
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify(this.hello(this.lastId || null)));
    ws.onmessage = (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (frame.type === "welcome") {
        this.ready = true;
        this.failures = 0;
        this.firstFailureAt = 0;
        this.onStatus("online");
        this.onFrame(frame);
        this.outbox.forEach((item) => this.raw(item));
        return;
      }
      if (frame.type === "ack") this.outbox = this.outbox.filter((item) => item.client_id !== frame.client_id);
      if (frame.type === "error" && frame.client_id) {
        this.outbox = this.outbox.filter((item) => item.client_id !== frame.client_id);
      }
      this.onFrame(frame);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ready = false;
      this.retry();
    };
  }

  retry() {
    this.failures += 1;
    if (!this.firstFailureAt) this.firstFailureAt = Date.now();
    const unavailable = this.failures > 3 && Date.now() - this.firstFailureAt > 20000;
    this.onStatus(unavailable ? "unavailable" : "reconnecting");
    const delay = Math.min(30000, 1000 * 2 ** Math.min(this.failures - 1, 5)) * (0.75 + Math.random() / 2);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  // Drop the socket now (for a browser that went offline); the retry loop brings it back.
  reset() {
    if (this.ws) this.ws.close();
  }

  raw(frame) {
    if (this.ready && this.ws && this.ws.readyState === 1) this.ws.send(JSON.stringify(frame));
  }

  // A shopper message or button press: kept until the server acknowledges it.
  post(frame) {
    this.outbox = [...this.outbox, frame];
    this.raw(frame);
  }
}
