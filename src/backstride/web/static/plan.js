// backstride: the interval timer of the Plan page and the hold timers of both pages.
// Everything runs in the browser: once the page is open, no connection is needed.
// Time is measured with Date.now(), so a phone that throttles timers in the background
// still shows the right step when it wakes up.
(function () {
  "use strict";

  var audio = null;

  function clock(seconds) {
    var s = Math.max(0, Math.ceil(seconds));
    var m = Math.floor(s / 60);
    var r = s % 60;
    return m + ":" + (r < 10 ? "0" : "") + r;
  }

  function signal(long) {
    if (navigator.vibrate) {
      navigator.vibrate(long ? [300, 100, 300] : 200);
    }
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) {
        return;
      }
      audio = audio || new Context();
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = long ? 660 : 880;
      gain.gain.value = 0.15;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + (long ? 0.6 : 0.25));
    } catch (e) {
      // no sound on this device: the vibration and the screen still show the change
    }
  }

  // --- the interval timer --------------------------------------------------------------------

  function IntervalTimer(root) {
    this.root = root;
    this.items = Array.prototype.slice.call(root.querySelectorAll("[data-seconds]"));
    this.steps = this.items.map(function (li) {
      return { seconds: Number(li.getAttribute("data-seconds")), label: li.getAttribute("data-label") };
    });
    this.total = this.steps.reduce(function (a, s) { return a + s.seconds; }, 0);
    this.label = root.querySelector("[data-timer-label]");
    this.clock = root.querySelector("[data-timer-clock]");
    this.next = root.querySelector("[data-timer-next]");
    this.progress = root.querySelector("[data-timer-progress]");
    this.startButton = root.querySelector("[data-timer-start]");
    this.nextButton = root.querySelector("[data-timer-next-step]");
    this.resetButton = root.querySelector("[data-timer-reset]");
    this.wakeLock = null;
    this.reset();
    var self = this;
    [this.startButton, this.nextButton, this.resetButton].forEach(function (b) {
      if (b) { b.hidden = false; }
    });
    this.startButton.addEventListener("click", function () { self.toggle(); });
    this.nextButton.addEventListener("click", function () { self.skip(); });
    this.resetButton.addEventListener("click", function () { self.stop(); self.reset(); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && self.running) { self.lock(); self.tick(); }
    });
  }

  IntervalTimer.prototype.reset = function () {
    this.index = 0;
    this.elapsedBefore = 0; // seconds into the current step before the last start
    this.startedAt = null;
    this.running = false;
    this.finished = false;
    this.startButton.textContent = "Start";
    this.render(0);
  };

  IntervalTimer.prototype.stepElapsed = function () {
    var running = this.startedAt === null ? 0 : (Date.now() - this.startedAt) / 1000;
    return this.elapsedBefore + running;
  };

  IntervalTimer.prototype.toggle = function () {
    if (this.finished) { this.reset(); }
    if (this.running) {
      this.elapsedBefore = this.stepElapsed();
      this.startedAt = null;
      this.running = false;
      this.startButton.textContent = "Resume";
      window.clearInterval(this.interval);
      this.release();
    } else {
      this.startedAt = Date.now();
      this.running = true;
      this.startButton.textContent = "Pause";
      var self = this;
      this.interval = window.setInterval(function () { self.tick(); }, 250);
      this.lock();
      this.tick();
    }
  };

  IntervalTimer.prototype.stop = function () {
    window.clearInterval(this.interval);
    this.running = false;
    this.release();
  };

  IntervalTimer.prototype.skip = function () {
    this.advance(true);
  };

  IntervalTimer.prototype.advance = function (manual) {
    this.index += 1;
    this.elapsedBefore = 0;
    this.startedAt = this.running ? Date.now() : null;
    if (this.index >= this.steps.length) {
      this.index = this.steps.length - 1;
      this.finished = true;
      this.stop();
      this.startButton.textContent = "Start again";
      this.label.textContent = "Finished. Well done: check in pain now and tomorrow morning.";
      this.clock.textContent = "0:00";
      this.progress.value = this.total;
      this.mark(this.steps.length);
      signal(true);
      return;
    }
    if (!manual) { signal(false); }
    this.render(0);
  };

  IntervalTimer.prototype.tick = function () {
    if (!this.running) { return; }
    var elapsed = this.stepElapsed();
    // Catch up over every step that ended while the page slept.
    while (this.running && elapsed >= this.steps[this.index].seconds) {
      var over = elapsed - this.steps[this.index].seconds;
      this.advance(false);
      if (!this.running) { return; }
      this.elapsedBefore = over;
      this.startedAt = Date.now();
      elapsed = over;
    }
    this.render(elapsed);
  };

  IntervalTimer.prototype.mark = function (current) {
    this.items.forEach(function (li, i) {
      li.classList.toggle("is-done", i < current);
      li.classList.toggle("is-current", i === current);
    });
  };

  IntervalTimer.prototype.render = function (elapsed) {
    var step = this.steps[this.index];
    var before = 0;
    for (var i = 0; i < this.index; i += 1) { before += this.steps[i].seconds; }
    var prefix = this.running || this.index > 0 || elapsed > 0 ? "" : "Ready: ";
    this.label.textContent = prefix + step.label;
    this.clock.textContent = clock(step.seconds - elapsed);
    var following = this.steps[this.index + 1];
    this.next.textContent = following ? following.label : "finished";
    this.progress.value = Math.min(this.total, before + elapsed);
    this.progress.textContent = Math.round((100 * (before + elapsed)) / this.total) + " %";
    this.mark(this.index);
  };

  IntervalTimer.prototype.lock = function () {
    var self = this;
    if (navigator.wakeLock && navigator.wakeLock.request && !self.wakeLock) {
      navigator.wakeLock.request("screen").then(function (lock) { self.wakeLock = lock; }, function () {});
    }
  };

  IntervalTimer.prototype.release = function () {
    if (this.wakeLock) {
      this.wakeLock.release().catch(function () {});
      this.wakeLock = null;
    }
  };

  // --- hold timers ---------------------------------------------------------------------------

  function HoldTimer(button) {
    this.button = button;
    this.display = button.parentNode.querySelector(".hold-display");
    this.hold = Number(button.getAttribute("data-hold"));
    this.rounds = Number(button.getAttribute("data-sets")) * Number(button.getAttribute("data-sides"));
    this.sides = Number(button.getAttribute("data-sides"));
    this.rest = Math.max(5, Number(button.getAttribute("data-rest") || "0"));
    this.label = button.textContent;
    this.running = false;
    button.hidden = false;
    var self = this;
    button.addEventListener("click", function () { self.toggle(); });
  }

  HoldTimer.prototype.toggle = function () {
    if (this.running) {
      window.clearInterval(this.interval);
      this.running = false;
      this.button.textContent = this.label;
      this.display.textContent = "Stopped.";
      return;
    }
    this.running = true;
    this.round = 0;
    this.phase = "hold";
    this.phaseStart = Date.now();
    this.button.textContent = "Stop";
    var self = this;
    this.interval = window.setInterval(function () { self.tick(); }, 250);
    signal(false);
    this.tick();
  };

  HoldTimer.prototype.tick = function () {
    var length = this.phase === "hold" ? this.hold : this.rest;
    var left = length - (Date.now() - this.phaseStart) / 1000;
    if (left <= 0) {
      if (this.phase === "hold") {
        this.round += 1;
        if (this.round >= this.rounds) {
          window.clearInterval(this.interval);
          this.running = false;
          this.button.textContent = this.label;
          this.display.textContent = "Done.";
          signal(true);
          return;
        }
        this.phase = "rest";
      } else {
        this.phase = "hold";
        signal(false);
      }
      this.phaseStart = Date.now();
      left = this.phase === "hold" ? this.hold : this.rest;
    }
    var side = "";
    if (this.sides === 2) {
      side = this.round % 2 === 0 ? " (first side)" : " (other side)";
    }
    var what = this.phase === "hold" ? "Hold" + side : "Rest, then change";
    this.display.textContent = what + ": " + clock(left) + " · " + (this.round + (this.phase === "hold" ? 1 : 0)) + " of " + this.rounds;
  };

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-timer]"), function (root) {
      if (root.querySelector("[data-seconds]")) { root.timer = new IntervalTimer(root); }
    });
    Array.prototype.forEach.call(document.querySelectorAll(".hold-timer"), function (button) {
      button.holdTimer = new HoldTimer(button);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
