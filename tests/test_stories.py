"""Prepare a story from the six reflection answers, then check practice answers (written and spoken) against it."""
import json
import subprocess

import pytest

from conftest import run_cli
from voice_interviewer.analysis import analyze_samples
from voice_interviewer.audio import load_audio
from voice_interviewer.stories import REFLECTIONS, build_outline, compare

ANSWERS = [
    "In my first year as a data engineer I was asked to migrate our billing database to a new cluster by the end of March.",
    "The migration ran two weeks late and finance could not send invoices for three days, which delayed about fifty "
    "thousand dollars of payments.",
    "I underestimated the work because I did not test the migration scripts on a full copy of the data; that was my mistake.",
    "I told my manager the same morning, wrote a rollback plan, and worked with finance to send the invoices by hand.",
    "Now I always rehearse a migration on a full copy of production data and I share a risk list with the team every week.",
    "I learned that a plan is only as good as the rehearsal behind it.",
]
# A paraphrase: other words, numbers said differently ("14 days", "$50,000"), and a new claim at the end.
SITUATION = "Early in my data engineering job I had to move the billing database onto a new cluster before March ended."
HAPPENED = "It finished 14 days late, and for three days finance could not invoice, holding up $50,000 in payments."
OWNERSHIP = "That was my mistake: I underestimated it and never tested the scripts on a full copy of the data."
RESPONSE = "The same morning I told my manager, wrote a rollback plan and worked with finance to send invoices by hand."
APPLIED = "Since then I rehearse every migration on a full copy of production and share a weekly risk list with the team."
LESSON = "What I learned is that a plan is only as good as its rehearsal."


def outline(**kw):
    return build_outline({r.key: a for r, a in zip(REFLECTIONS, ANSWERS)}, name="billing", role="data engineer", **kw)


def test_full_answers_make_an_outline_with_no_gaps():
    o = outline()
    assert o["gaps"] == []
    assert set(o["points"]) == {"situation", "what_happened", "ownership", "response", "lesson", "applied", "ties_to_role"}
    assert o["warnings"] == []


def test_leaving_out_the_lesson_makes_a_gap_with_a_question():
    answers = {r.key: a for r, a in zip(REFLECTIONS, ANSWERS)}
    answers["learned"] = ""
    o = build_outline(answers, name="x")
    gaps = {g["point"]: g for g in o["gaps"]}
    assert "lesson" in gaps and gaps["lesson"]["question"].endswith("?")


def test_warnings_for_humblebrag_blame_and_disqualifying_failures():
    answers = {r.key: a for r, a in zip(REFLECTIONS, ANSWERS)}
    assert any("humblebrag" in w for w in build_outline({**answers, "goal": "I'm a perfectionist."}, name="x")["warnings"])
    blame = {**answers, "factors": "My manager never gave me the right data, so it failed."}
    assert any("blame" in w for w in build_outline(blame, name="x")["warnings"])
    assert any("disqualify" in w for w in build_outline({**answers, "outcome": "I falsified the test results."}, name="x")["warnings"])


def test_paraphrase_with_every_point_is_all_said_and_new_claims_found():
    text = " ".join([SITUATION, HAPPENED, OWNERSHIP, RESPONSE, LESSON, APPLIED,
                     "As a data engineer, I would bring that lesson to your team.", "I also bought a new laptop."])
    r = compare(outline(), text)
    assert r["left_out"] == [], r
    assert r["new_claims"] == ["I also bought a new laptop."]


@pytest.mark.parametrize("skip", ["lesson", "applied", "response"])
def test_an_answer_that_skips_one_point_is_missing_that_point_only(skip):
    parts = {"situation": SITUATION, "what_happened": HAPPENED, "ownership": OWNERSHIP, "response": RESPONSE,
             "lesson": LESSON, "applied": APPLIED, "ties_to_role": "As a data engineer, I would bring that lesson to your team."}
    parts.pop(skip)
    r = compare(outline(), " ".join(parts.values()))
    assert [p["point"] for p in r["left_out"]] == [skip]


def test_spoken_practice_answer_against_the_story(engine, tmp_path):
    wav = tmp_path / "answer.wav"
    # the prepared story told aloud, without its lesson (tiny.en mishears synthetic paraphrases too often)
    text = " ".join(ANSWERS[:5] + ["As a data engineer, I would bring that to your team."])
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "145", "-w", str(wav), text], check=True)
    a = analyze_samples(load_audio(wav), engine)
    from voice_interviewer.stories import attach_story

    r = attach_story(a, outline())
    assert [p["point"] for p in r["left_out"]] == ["lesson"]
    assert "the lesson" in a["content"]["spoken_summary"] and len(a["content"]["spoken_summary"].split()) <= 45


def test_prepare_cli_with_answers_file_then_stories_and_analyze(tmp_path):
    f = tmp_path / "answers.txt"
    f.write_text("\n\n".join(ANSWERS[:5]) + "\n")  # no lesson
    rec = tmp_path / "rec"
    r = run_cli("prepare", "--answers", str(f), "--name", "Billing migration", "--no-speak", "--json", "--recordings", str(rec))
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert [g["point"] for g in doc["gaps"]] == ["lesson", "ties_to_role"]
    assert (rec / "stories" / "billing-migration.md").is_file()
    r = run_cli("stories", "--recordings", str(rec))
    assert "Billing migration" in r.stdout
    ans = tmp_path / "practice.txt"
    ans.write_text(" ".join([SITUATION, HAPPENED, OWNERSHIP]))
    r = run_cli("analyze", "--text", str(ans), "--story", "Billing migration", "--json", "--recordings", str(rec))
    assert r.returncode == 0, r.stderr
    story = json.loads(r.stdout)["story"]
    assert {p["point"] for p in story["left_out"]} == {"response", "applied"}
    r = run_cli("analyze", "--text", str(ans), "--story", "nope", "--recordings", str(rec))
    assert r.returncode == 2 and "no story named" in r.stderr


def test_prepare_with_spoken_answers_through_the_virtual_microphone(tmp_path):
    """The six reflection answers spoken into the microphone, transcribed, and turned into an outline."""
    from virtual_mic import VirtualMic, require_virtual_mic

    require_virtual_mic()
    wavs = []
    for i, text in enumerate(ANSWERS):
        wav = tmp_path / f"a{i}.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(wav), text], check=True)
        wavs.append(wav)
    mic = VirtualMic()
    rec = tmp_path / "rec"
    try:
        import sys
        import threading

        env = {**mic.environ(), "VOICE_INTERVIEWER_CONFIG": str(tmp_path / "none.toml")}
        proc = subprocess.Popen([sys.executable, "-m", "voice_interviewer", "prepare", "--name", "spoken", "--no-speak",
                                 "--json", "--recordings", str(rec)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env)
        ready = threading.Semaphore(0)
        err = []

        def read():
            for line in proc.stderr:
                err.append(line)
                if line.startswith("Recording"):
                    ready.release()

        threading.Thread(target=read, daemon=True).start()
        for wav in wavs:
            assert ready.acquire(timeout=90), "".join(err)
            mic.play(wav)
        out = proc.stdout.read()
        assert proc.wait(120) == 0, "".join(err)
    finally:
        mic.stop()
    doc = json.loads(out[out.index("{"):])
    assert doc["gaps"] == [{"point": "ties_to_role", "label": "why it matters for this job",
                            "question": "How will that lesson help you in the job you are applying for?"}]
    learned = doc["answers"]["learned"].lower()
    # the sixth answer, transcribed (tiny.en hears espeak's "plan" as "plant" now and then: not checked)
    assert "learned" in learned and "only as good as" in learned
    assert (rec / "stories" / "spoken.md").is_file()
