// The drawing page (bot/web/draw_page.py, docs/web.md#drawing-page). No framework.
// Credential: Telegram's initData from the URL fragment (#tgWebAppData=..., as Telegram opens
// a Mini App) or the /draw link's ?token=. Strokes are recorded exactly as Quick, Draw!'s raw
// format: per stroke the x, y and t lists (t: ms since the drawing's first point), plus the
// canvas width and height in CSS pixels. Nothing else about the device is read or sent.
// At 0 the countdown stops the canvas and submits what was drawn (nothing drawn: nothing sent).
"use strict";
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var canvas = $("canvas"), ctx = canvas.getContext("2d");
  var fragment = new URLSearchParams(location.hash.slice(1));
  var initData = fragment.get("tgWebAppData") || "";
  var token = new URLSearchParams(location.search).get("token") || "";
  var credential = initData ? { init_data: initData } : (token ? { token: token } : null);
  var THEME = { bg_color: ["--bg"], text_color: ["--fg", "--ink"], hint_color: ["--hint"],
    secondary_bg_color: ["--paper"], button_color: ["--button"],
    button_text_color: ["--button-fg"] };
  var prompt = null, strokes = [], current = null, t0 = null, lastT = 0;
  var size = { w: 0, h: 0 }, deadline = 0, timer = 0, active = false;

  function theme(raw) {  // Telegram's theme params, as CSS variables (colours only)
    if (!raw) { return; }
    var params;
    try { params = JSON.parse(raw); } catch (e) { return; }
    Object.keys(THEME).forEach(function (key) {
      var value = params[key];
      if (typeof value === "string" && /^#[0-9a-fA-F]{3,8}$/.test(value)) {
        THEME[key].forEach(function (name) {
          document.documentElement.style.setProperty(name, value);
        });
      }
    });
  }

  function tgEvent(type, data) {  // Telegram's Mini App events, without telegram.org's script
    if (!initData) { return; }
    var message = JSON.stringify({ eventType: type, eventData: data || {} });
    try {
      if (window.TelegramWebviewProxy) {
        window.TelegramWebviewProxy.postEvent(type, JSON.stringify(data || {}));
      } else if (window.parent !== window) {
        window.parent.postMessage(message, "https://web.telegram.org");
      }
    } catch (e) { /* not inside Telegram after all: nothing to tell */ }
  }

  function say(text, error) {
    var status = $("status");
    status.textContent = text;
    status.className = error ? "error" : "";
  }

  function buttons() {
    var some = strokes.length > 0;
    $("undo").disabled = !active || !some;
    $("clear").disabled = !active || !some;
    $("submit").disabled = !active || !some;
  }

  function post(path, body) {
    var payload = Object.assign({}, credential, body);
    return fetch(path, { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload), credentials: "omit" })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) {
          if (!r.ok) { throw new Error(data.error || ("The server answered " + r.status)); }
          return data;
        });
      });
  }

  function fit() {  // the canvas's size is fixed when drawing starts (sent with the strokes)
    var ratio = window.devicePixelRatio || 1;
    size.w = Math.max(1, Math.round(canvas.clientWidth));
    size.h = Math.max(1, Math.round(canvas.clientHeight));
    canvas.width = Math.round(size.w * ratio);
    canvas.height = Math.round(size.h * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  }

  function redraw() {
    ctx.clearRect(0, 0, size.w, size.h);
    ctx.strokeStyle = getComputedStyle(document.documentElement).getPropertyValue("--ink");
    ctx.lineWidth = 3;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    strokes.forEach(function (s) {
      ctx.beginPath();
      ctx.moveTo(s.x[0], s.y[0]);
      for (var i = 1; i < s.x.length; i++) { ctx.lineTo(s.x[i], s.y[i]); }
      if (s.x.length === 1) { ctx.lineTo(s.x[0] + 0.1, s.y[0]); }
      ctx.stroke();
    });
  }

  function point(e) {
    var r = canvas.getBoundingClientRect(), now = performance.now();
    if (t0 === null) { t0 = now; lastT = 0; }
    var t = Math.max(lastT, Math.round(now - t0));  // never decreasing
    lastT = t;
    current.x.push(Math.round(e.clientX - r.left));
    current.y.push(Math.round(e.clientY - r.top));
    current.t.push(t);
  }

  function down(e) {
    if (!active || current !== null || (e.pointerType === "mouse" && e.button !== 0)) { return; }
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    current = { id: e.pointerId, x: [], y: [], t: [] };
    strokes.push(current);
    point(e);
    redraw();
    buttons();
  }

  function move(e) {
    if (current === null || e.pointerId !== current.id) { return; }
    e.preventDefault();
    var events = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
    (events.length ? events : [e]).forEach(point);
    redraw();
  }

  function up(e) {
    if (current === null || e.pointerId !== current.id) { return; }
    current = null;
    buttons();
  }

  function tick() {
    var left = Math.max(0, Math.ceil((deadline - performance.now()) / 1000));
    $("clock").textContent = String(left);
    $("clock").className = left <= 5 ? "low" : "";
    if (left <= 0) { finish(); }
  }

  function stop() {
    active = false;
    current = null;
    clearInterval(timer);
    buttons();
  }

  function finish() {
    stop();
    if (strokes.length) { send(); } else { say("Time's up, and nothing was drawn: nothing was sent."); }
  }

  function send() {
    stop();
    say("Sending your drawing...");
    var body = { prompt_id: prompt.prompt_id, width: size.w, height: size.h,
      strokes: strokes.map(function (s) { return [s.x, s.y, s.t]; }) };
    post("/draw/submit", body).then(function (data) {
      document.body.dataset.state = "submitted";
      say(data.text || "Thanks: your drawing was sent.");
    }, function (err) {
      document.body.dataset.state = "failed";
      say(err.message, true);
    });
  }

  function start() {
    $("start").disabled = true;
    say("Getting your word...");
    post("/draw/prompt", {}).then(function (data) {
      prompt = data;
      $("word").textContent = data.word;
      fit();
      strokes = []; t0 = null; active = true;
      deadline = performance.now() + (data.seconds || 20) * 1000;
      timer = setInterval(tick, 200);
      tick();
      document.body.dataset.state = "drawing";
      say("Draw it! Undo takes back your last stroke.");
      buttons();
    }, function (err) {
      document.body.dataset.state = "failed";
      say(err.message, true);
    });
  }

  theme(fragment.get("tgWebAppThemeParams"));
  tgEvent("web_app_ready");
  tgEvent("web_app_expand");
  tgEvent("web_app_setup_swipe_behavior", { allow_vertical_swipe: false });  // strokes, not swipes
  canvas.addEventListener("pointerdown", down);
  canvas.addEventListener("pointermove", move);
  canvas.addEventListener("pointerup", up);
  canvas.addEventListener("pointercancel", up);
  $("undo").addEventListener("click", function () {
    strokes.pop();
    if (!strokes.length) { t0 = null; }
    redraw(); buttons();
  });
  $("clear").addEventListener("click", function () { strokes = []; t0 = null; redraw(); buttons(); });
  $("submit").addEventListener("click", send);
  $("start").addEventListener("click", start);
  if (!credential) {
    $("start").disabled = true;
    say("Open this page from the bot: send /draw in Telegram or Discord.", true);
  }
  document.body.dataset.state = "ready";
})();
