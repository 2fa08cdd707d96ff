// The locate canvas (bot/web/locate_page.py, docs/web.md). No framework.
// Credential: Telegram's initData from the URL fragment (#tgWebAppData=..., a Mini App; the
// round from ?round=) or a canvas link's ?token=. The image is scaled to fit; marks are kept
// and sent in the image's own pixels (origin top-left, rounded to 0.1 px): boxes [x, y, w, h]
// drawn by dragging, points [x, y] placed by a tap. Pointer events: mouse, pen and touch.
"use strict";
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var canvas = $("canvas"), ctx = canvas.getContext("2d");
  var fragment = new URLSearchParams(location.hash.slice(1));
  var query = new URLSearchParams(location.search);
  var initData = fragment.get("tgWebAppData") || "";
  var token = query.get("token") || "";
  var roundParam = parseInt(query.get("round") || "", 10);
  var credential = initData ? { init_data: initData } : (token ? { token: token } : null);
  var THEME = { bg_color: ["--bg"], text_color: ["--fg"], hint_color: ["--hint"],
    secondary_bg_color: ["--paper"], button_color: ["--button"],
    button_text_color: ["--button-fg"] };
  var MIN_DRAG = 4;  // CSS pixels: a shorter drag is a slip, not a box
  var task = null, bitmap = null, marks = [], drag = null, scale = 1, active = false;

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
    try {
      if (window.TelegramWebviewProxy) {
        window.TelegramWebviewProxy.postEvent(type, JSON.stringify(data || {}));
      } else if (window.parent !== window) {
        window.parent.postMessage(JSON.stringify({ eventType: type, eventData: data || {} }),
          "https://web.telegram.org");
      }
    } catch (e) { /* not inside Telegram after all */ }
  }

  function say(text, error) {
    $("status").textContent = text;
    $("status").className = error ? "error" : "";
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

  function round1(v) { return Math.round(v * 10) / 10; }
  function clamp(v, most) { return Math.min(most, Math.max(0, v)); }
  function isBox() { return task && task.shape === "box"; }
  function noun() { return isBox() ? "box" : "point"; }

  function toImage(e) {  // a pointer's position in the image's pixels, kept inside it
    var r = canvas.getBoundingClientRect();
    return { x: clamp((e.clientX - r.left) / scale, task.width),
      y: clamp((e.clientY - r.top) / scale, task.height) };
  }

  function fit() {  // the image scaled to fit the board, sharp on high-density screens
    var board = $("board"), ratio = window.devicePixelRatio || 1;
    scale = Math.min(board.clientWidth / task.width, board.clientHeight / task.height);
    var w = Math.max(1, Math.floor(task.width * scale));
    var h = Math.max(1, Math.floor(task.height * scale));
    canvas.style.width = w + "px";
    canvas.style.height = h + "px";
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
    ctx.setTransform(ratio * scale, 0, 0, ratio * scale, 0, 0);
    redraw();
  }

  function drawMark(m, n) {
    var color = getComputedStyle(document.documentElement).getPropertyValue("--mark") || "#00a2ff";
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 3 / scale;
    ctx.font = (14 / scale) + "px system-ui, sans-serif";
    if (m.length === 4) {
      ctx.strokeRect(m[0], m[1], m[2], m[3]);
      if (n) { ctx.fillText(String(n), m[0] + 4 / scale, m[1] + 16 / scale); }
    } else {
      ctx.beginPath();
      ctx.arc(m[0], m[1], 6 / scale, 0, 2 * Math.PI);
      ctx.fill();
      if (n) { ctx.fillText(String(n), m[0] + 8 / scale, m[1] - 8 / scale); }
    }
  }

  function redraw() {
    if (!task) { return; }
    ctx.clearRect(0, 0, task.width, task.height);
    if (bitmap) { ctx.drawImage(bitmap, 0, 0, task.width, task.height); }
    marks.forEach(function (m, i) { drawMark(m, i + 1); });
    if (drag && drag.box) { drawMark(drag.box, 0); }
  }

  function describe(m) {
    return m.length === 4
      ? "at " + m[0] + ", " + m[1] + " size " + m[2] + " × " + m[3]
      : "at " + m[0] + ", " + m[1];
  }

  function list() {
    var ol = $("marks");
    ol.textContent = "";
    marks.forEach(function (m, i) {
      var li = document.createElement("li"), button = document.createElement("button");
      var label = noun() + " " + (i + 1);
      li.appendChild(document.createTextNode(label.charAt(0).toUpperCase() + label.slice(1)
        + " " + describe(m)));
      button.type = "button";
      button.textContent = "×";
      button.className = "delete";
      button.setAttribute("aria-label", "Delete " + label);
      button.disabled = !active;
      button.addEventListener("click", function () { marks.splice(i, 1); changed(); });
      li.appendChild(button);
      ol.appendChild(li);
    });
    $("count").textContent = task ? marks.length + " / " + task.max_marks : "";
  }

  function changed() {
    $("undo").disabled = !active || !marks.length;
    $("submit").disabled = !active || !marks.length;
    $("none").disabled = !active;
    list();
    redraw();
  }

  function add(m) {
    if (marks.length >= task.max_marks) {
      say("At most " + task.max_marks + " marks: delete one to add another.", true);
      return;
    }
    marks.push(m);
    say(isBox() ? "Drag to draw another box, or submit." : "Tap to place another point, or submit.");
    changed();
  }

  function down(e) {
    if (!active || drag || (e.pointerType === "mouse" && e.button !== 0)) { return; }
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    var p = toImage(e);
    drag = { id: e.pointerId, x0: p.x, y0: p.y, box: null };
  }

  function move(e) {
    if (!drag || e.pointerId !== drag.id || !isBox()) { return; }
    e.preventDefault();
    var p = toImage(e);
    drag.box = [Math.min(drag.x0, p.x), Math.min(drag.y0, p.y),
      Math.abs(p.x - drag.x0), Math.abs(p.y - drag.y0)];
    redraw();
  }

  function up(e) {
    if (!drag || e.pointerId !== drag.id) { return; }
    var p = toImage(e), start = drag;
    drag = null;
    if (e.type === "pointercancel") { redraw(); return; }
    if (!isBox()) {
      add([round1(p.x), round1(p.y)]);
      return;
    }
    var w = Math.abs(p.x - start.x0), h = Math.abs(p.y - start.y0);
    if (w * scale < MIN_DRAG || h * scale < MIN_DRAG) {
      say("Drag across the object to draw a box around it.");
      redraw();
      return;
    }
    add([round1(Math.min(start.x0, p.x)), round1(Math.min(start.y0, p.y)), round1(w), round1(h)]);
  }

  function send(list) {
    active = false;
    changed();
    say("Sending your marks...");
    var answer = {};
    answer[isBox() ? "boxes" : "points"] = list;
    post("/locate/submit", { round_id: task.round_id, answer: answer }).then(function (data) {
      document.body.dataset.state = "submitted";
      say(data.text || "Thanks: your marks were sent.");
      tgEvent("web_app_close");
    }, function (err) {
      document.body.dataset.state = "failed";
      say(err.message, true);
    });
  }

  function decode(b64, mime) {
    var raw = atob(b64), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return new Blob([bytes], { type: mime });
  }

  function start() {
    var ask = isFinite(roundParam) && roundParam > 0 ? { round_id: roundParam } : {};
    post("/locate/task", ask).then(function (data) {
      task = data;
      $("instruction").textContent = data.instruction;
      return createImageBitmap(decode(data.image, data.mime));
    }).then(function (image) {
      bitmap = image;
      active = true;
      fit();
      changed();
      document.body.dataset.state = "marking";
      say(isBox() ? "Drag to draw a box around each one. Nothing to mark? Tap Nothing here."
        : "Tap to place a point on each one. Nothing to mark? Tap Nothing here.");
    }).catch(function (err) {
      document.body.dataset.state = "failed";
      say(err.message, true);
    });
  }

  theme(fragment.get("tgWebAppThemeParams"));
  tgEvent("web_app_ready");
  tgEvent("web_app_expand");
  tgEvent("web_app_setup_swipe_behavior", { allow_vertical_swipe: false });  // drags, not swipes
  canvas.addEventListener("pointerdown", down);
  canvas.addEventListener("pointermove", move);
  canvas.addEventListener("pointerup", up);
  canvas.addEventListener("pointercancel", up);
  window.addEventListener("resize", function () { if (task && bitmap) { fit(); } });
  $("undo").addEventListener("click", function () { marks.pop(); changed(); });
  $("none").addEventListener("click", function () { marks = []; send([]); });
  $("submit").addEventListener("click", function () { send(marks); });
  document.body.dataset.state = "loading";
  if (!credential) {
    document.body.dataset.state = "failed";
    say("Open this page from the bot: tap 📦 Open the canvas on a locate task.", true);
  } else {
    start();
  }
})();
