'use strict';
// Runs on the audio thread: the microphone as 16 kHz mono float32 in blocks of 0.1 s, with each block's
// level for the meter. The page makes its AudioContext at 16 kHz, so no resampling is needed; a browser
// that ignores the asked-for rate gets a plain linear resampler (good enough for speech to Whisper).
const TARGET_RATE = 16000;
const BLOCK = 1600;

class Capture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.block = new Float32Array(BLOCK);
    this.n = 0;
    this.step = sampleRate / TARGET_RATE;
    this.pos = 0;
    this.last = 0;
  }

  push(x) {
    this.block[this.n++] = x;
    if (this.n === BLOCK) {
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += this.block[i] * this.block[i];
      this.port.postMessage({ samples: this.block, rms: Math.sqrt(sum / BLOCK) }, [this.block.buffer]);
      this.block = new Float32Array(BLOCK);
      this.n = 0;
    }
  }

  process(inputs) {
    const input = inputs[0];
    if (!input || input.length === 0) return true;
    const frames = input[0].length;
    for (let i = 0; i < frames; i++) {
      let x = 0;
      for (let c = 0; c < input.length; c++) x += input[c][i];
      x /= input.length;
      if (this.step === 1) { this.push(x); continue; }
      // linear resampling: emit every `step` input samples
      while (this.pos <= 1) {
        this.push(this.last + (x - this.last) * this.pos);
        this.pos += this.step;
      }
      this.pos -= 1;
      this.last = x;
    }
    return true;
  }
}

registerProcessor('capture', Capture);
