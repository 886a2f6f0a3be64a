// Live updates over /api/v1/stream (protocol: services/otklik-realtime/README.md).
// Browsers cannot set headers on a WebSocket, so the token rides in the subprotocol list.
// Reconnects with back-off and resumes after the last sequence seen, so no event is missed.
export class Live {
  constructor({ token, refresh, subscriptions, onEvent, onState, onRevoked }) {
    this.token = token;
    this.refresh = refresh;
    this.subscriptions = subscriptions;
    this.onEvent = onEvent;
    this.onState = onState || (() => {});
    this.onRevoked = onRevoked || (() => {});
    this.after = null;
    this.connected = false;
    this.closed = false;
    this.backoff = 500;
  }

  connect() {
    const token = this.token();
    if (!token || this.closed) return;
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/stream`;
    const ws = new WebSocket(url, ['otklik.v1', `bearer.${token}`]);
    this.ws = ws;
    ws.onopen = () => {
      const frame = { type: 'subscribe', subscriptions: this.subscriptions };
      if (this.after !== null) frame.after = this.after;
      ws.send(JSON.stringify(frame));
    };
    ws.onmessage = (m) => {
      let f;
      try { f = JSON.parse(m.data); } catch (e) { return; }
      if (f.type === 'subscribed') {
        if (this.after === null) this.after = f.sequence;
        this.connected = true;
        this.backoff = 500;
        this.onState();
      } else if (f.type === 'event') {
        this.after = f.sequence;
        this.onEvent(f);
      } else if (f.type === 'resync-required') {
        this.after = f.sequence;
        this.onEvent({ type: 'event', event: 'resync', ticket: null, sequence: f.sequence });
      }
    };
    ws.onclose = async (e) => {
      this.connected = false;
      this.onState();
      if (this.closed) return;
      if (e.code === 4001 && this.refresh) await this.refresh();     // token expired: refresh, then resume
      if (e.code === 4003) return;                                    // tenant removed or disabled
      if (e.code === 4004) { this.onRevoked(); return; }              // session ended: sign in again
      setTimeout(() => this.connect(), this.backoff);
      this.backoff = Math.min(this.backoff * 2, 15000);
    };
  }

  close() {
    this.closed = true;
    if (this.ws) this.ws.close(1000);
  }
}
