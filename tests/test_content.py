"""Content labels on constructed sentences (with negation and tense), evidence, tips and the summary."""
import json
import subprocess
import sys

import pytest

from conftest import ROOT, run_cli, shared
from voice_interviewer.content import follow_up_need, judge, split_sentences

CASES = [
    # (label, sentence, expected)
    ("situation", "Last year I missed the launch date for our billing project.", True),
    ("situation", "I think failure is part of life and I try to stay positive.", False),
    ("action", "As soon as I saw the error I told my manager and fixed the report that night.", True),
    ("action", "The report had an error in it.", False),
    ("result", "We lost the client and the project was delayed by two weeks.", True),
    ("result", "I like working with people.", False),
    ("lesson", "I learned that I have to test every change before I ship it.", True),
    ("lesson", "The experience taught me to ask for help early.", True),
    ("lesson", "I didn't really learn much from it.", False),
    ("applied", "Since then I have checked every invoice twice.", True),
    ("applied", "Now I write a test before I change any code.", True),
    ("applied", "I wrote tests for that module.", False),
    ("ownership", "It was my mistake, I should have checked the numbers.", True),
    ("ownership", "I underestimated how long the migration would take.", True),
    ("ownership", "It wasn't my fault that the numbers were wrong.", False),
    ("blame", "My manager never gave me the right data, so the report was wrong.", True),
    ("blame", "The client kept changing what they wanted.", True),
    ("blame", "I didn't blame anyone on the team for it.", False),
    ("blame", "I told my lead two days before the due date.", False),
    ("excuses", "It was a long day and there was nothing I could do.", True),
    ("excuses", "The economy was bad that year.", True),
    ("excuses", "I planned the day carefully and finished early.", False),
    ("fake_failure", "My biggest failure is that I'm a perfectionist.", True),
    ("fake_failure", "Honestly I can't think of a real mistake.", True),
    ("fake_failure", "I failed my driving test the first time.", False),
    ("ties_to_role", "That is the habit I would bring to this role.", True),
    ("ties_to_role", "I would use the same approach with your customers.", True),
    ("ties_to_role", "I went home and slept.", False),
]


@pytest.mark.parametrize("label,sentence,expected", CASES)
def test_label_rules(label, sentence, expected):
    assert judge(sentence)["labels"][label] is expected


def test_rules_work_on_lower_case_unpunctuated_transcripts():
    text = ("one time i missed a deadline on a client project because i underestimated the work i told my manager "
            "right away and we moved the date i learned that i need to plan with a buffer now i add a day to every estimate")
    c = judge(text)
    for k in ("situation", "action", "lesson", "applied", "ownership"):
        assert c["labels"][k], k
    assert len(split_sentences(text)) >= 3


def test_role_and_values_inform_ties_to_role():
    text = "I missed a deadline. I learned to plan. I would bring careful planning to data engineering."
    assert judge(text)["labels"]["ties_to_role"] is False
    assert judge(text, role="data engineer")["labels"]["ties_to_role"] is True
    assert judge("I missed a deadline. I would bring candour to everything.", values=["candour"])["labels"]["ties_to_role"]


def test_evidence_quotes_are_exact_substrings(labelled_answers):
    for item in labelled_answers:
        c = judge(item["text"], role=item["role"])
        for label, quote in c["evidence"].items():
            assert c["labels"][label]
            assert quote in item["text"]
        for tip in c["tips"]:
            assert tip["quote"] is None or tip["quote"] in item["text"]


def test_tips_at_most_three_and_summary_short(labelled_answers):
    for item in labelled_answers:
        c = judge(item["text"])
        assert len(c["tips"]) <= 3
        assert len(c["spoken_summary"].split()) <= 45
        assert not any(ch in c["spoken_summary"] for ch in "*#[]-•:") or ":" in c["spoken_summary"]


def test_missing_lesson_gets_a_lesson_tip_built_from_the_answer():
    c = judge("Last spring I failed to ship the mobile release on time because I skipped testing. I told the team.")
    assert not c["labels"]["lesson"]
    tip = next(t for t in c["tips"] if "learned" in t["tip"].lower())
    assert "failed to ship the mobile release" in tip["suggestion"]


@pytest.mark.parametrize("text", ["", "Yes.", "   "])
def test_empty_or_one_word_answer_is_weak_with_a_story_tip(text):
    c = judge(text)
    assert c["grade"] == "weak"
    assert any("specific story" in t["tip"] for t in c["tips"])


def test_pronouns_and_dwelling():
    blaming = judge("They changed the plan. He never told us. They were late and they were rude. I was there.")
    assert blaming["pronouns"]["leans_on_others"]
    dwelling = judge("The launch failed on the first morning of the sale. The servers crashed at noon and stayed down. "
                     "Orders were lost for six hours across every region we sold in. Customers were angry and "
                     "wrote to the support desk all night. The press wrote about it the next day. I learned to test.")
    assert dwelling["balance"]["dwelling"] is True


def test_follow_up_need():
    assert follow_up_need(judge("My manager never gave me the data so the report was wrong.")) == "blame"
    assert follow_up_need(judge("Last year I missed a deadline because I underestimated it. I told my lead.")) == "lesson"
    assert follow_up_need(None) is None


def test_analyze_text_cli(tmp_path, labelled_answers):
    f = tmp_path / "answer.txt"
    f.write_text(labelled_answers[0]["text"])
    r = run_cli("analyze", "--text", str(f), "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["delivery"] is None and doc["content"]["grade"] == "strong"
    r = run_cli("analyze", "--text", "-", input="I am a perfectionist.")
    assert r.returncode == 0 and "humblebrag" in r.stdout.lower()


def test_content_benchmark_meets_targets_on_dev_text():
    shared("eval", "answers_dev.jsonl")  # the benchmark's development set
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "content_accuracy.py"), "--no-audio"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    mean = float(next(line.split()[1] for line in r.stdout.splitlines() if line.startswith("mean")))
    assert mean >= 0.90


def test_others_as_subject_without_fault_is_not_blame():
    assert judge("The customers were happy with the fix and my manager was pleased.")["labels"]["blame"] is False


def test_a_vague_lesson_is_not_a_lesson():
    assert judge("I learned a lot.")["labels"]["lesson"] is False
    assert judge("I learned to check my numbers twice.")["labels"]["lesson"] is True
