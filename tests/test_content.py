"""The content judge with the real encoder and the shipped weights: paraphrases of each label (with decoys),
whole answers written and spoken, exact-quote evidence, tips that never ask for what is there, the grade rule,
and the one-line error when the encoder is missing.

The paraphrases here were written for the tests and are not in training/data (test_paraphrases_are_not_training_data).
"""
import itertools
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT, run_cli
from voice_interviewer import content_model
from voice_interviewer.content import BAD, GOOD, LABELS, follow_up_need, grade, judge, split_clauses, split_sentences

DATA = ROOT / "training" / "data"

# (label, clause, expected): the clause layer's verdict on one clause in new words.
PARAPHRASES = [
    ("situation", "Back in 2020 I was running the stock take for a chain of garden centres.", True),
    ("situation", "so this was my first winter working at the ski hire shop", True),
    ("situation", "I tend to get flustered when lots of people want things at once.", False),
    ("situation", "I sometimes miss deadlines.", False),
    ("action", "The moment I saw the mistake I phoned the client and talked her through a fix.", True),
    ("action", "i went straight round to the customer's house and swapped the part myself", True),
    ("action", "The brochure had a typo on the front page.", False),
    ("result", "We ended up losing the account and about ten thousand pounds a year with it.", True),
    ("result", "in the end the shipment was nine days late", True),
    ("result", "I enjoy working with the public.", False),
    # a held-out miss quoted in issue 16, kept out of training on purpose
    ("lesson", "What I took from it is that my job as a lead is to make the team better.", True),
    ("lesson", "it really hit home that you can't assume anyone else has checked", True),
    ("lesson", "The team learned a lot.", False),
    ("lesson", "I learned the new till system in my first week.", False),
    ("applied", "These days I walk every new site myself before I sign anything.", True),
    ("applied", "since then i always read the order back to the customer", True),
    ("applied", "If it happened again I would probably ask for help.", False),
    ("ownership", "I had anchored on my first guess.", True),
    ("ownership", "I had written the spec without checking with the wider user base.", True),
    ("ownership", "that one's on me i didn't check the figures before they went out", True),
    ("ownership", "I take ownership of the release process.", False),
    ("ownership", "It wasn't my fault the numbers were wrong.", False),
    ("blame", "My line manager kept moving the goalposts, so of course we missed it.", True),
    ("blame", "the agency never sent us the files on time", True),
    ("blame", "My manager helped me put together a recovery plan.", False),
    ("excuses", "It was a crazy week and the system kept crashing, so there was not much I could do.", True),
    ("excuses", "we were three people short that month so things were always going to slip", True),
    ("excuses", "The project had a budget of twenty thousand pounds.", False),
    ("fake_failure", "If I'm honest, my weakness is that I just care too much about doing a perfect job.", True),
    ("fake_failure", "i can't really think of anything i've failed at", True),
    ("fake_failure", "I failed my first driving test.", False),
    ("ties_to_role", "That's exactly the habit I'd bring to your front desk team.", True),
    ("ties_to_role", "and with how many clients your agency takes on i think that would help here", True),
    ("ties_to_role", "My team at the time was four people.", False),
]


@pytest.fixture(scope="module")
def model():
    return content_model.load()


@pytest.mark.parametrize("label,clause,expected", PARAPHRASES)
def test_paraphrases_and_decoys_per_label(model, label, clause, expected):
    probs, _ = model.score([clause])
    p = float(probs[0, LABELS.index(label)])
    assert (p >= 0.5) is expected, f"{label}: {p:.2f} for {clause!r}"


def test_paraphrases_are_not_training_data():
    written = set()  # (the quoted held-out misses must stay out of training too)
    for f in DATA.glob("sentences_*.tsv"):
        for line in f.read_text().splitlines():
            if "\t" in line and not line.startswith("#"):
                written.add(line.split("\t", 1)[1].strip().lower())
    clauses = [p.values[1] if hasattr(p, "values") else p[1] for p in PARAPHRASES]
    assert not [c for c in clauses if c.lower() in written]
    synthetic = (DATA / "answers_synthetic.jsonl").read_text().lower()
    assert not [c for c in clauses if c.lower().rstrip(".") in synthetic]


def test_synthetic_answers_are_labelled_by_the_rule():
    """The whole answers written for the answer layer: every label given, the grade by LABELS.md, and the
    development answers' wording not reused (a shared sentence would leak a fold's wording into its answer layer)."""
    sys.path.insert(0, str(ROOT))
    from training.content_training import derived_from, load_answers

    development = load_answers()
    rows = [json.loads(line) for line in (DATA / "answers_synthetic.jsonl").read_text().splitlines() if line.strip()]
    assert len(rows) >= 40
    for row in rows:
        assert set(row["labels"]) == set(LABELS) and grade(row["labels"]) == row["grade"], row["id"]
        for sentence in split_sentences(row["text"]):
            assert derived_from(sentence.text, development) is None, (row["id"], sentence.text)


STRONG = ("Last spring I was leading the move of our customer records to a new CRM. I had assumed the old export "
          "included archived accounts and I never checked it, so about two hundred customers vanished from the new "
          "system. Their renewal reminders never went out and we lost eleven of them before anyone noticed. As soon "
          "as I found the gap I told my director, restored the accounts from the backup and called each customer "
          "we had missed. I learned that a migration is only finished when someone has counted what arrived. Since "
          "then I reconcile record counts before and after every data move. With the systems work in this role, "
          "that is the habit I would bring.")


def spoken(text: str) -> str:
    """The same words as a recogniser gives them: lower case, no punctuation."""
    import re

    return re.sub(r"[^\w\s']", "", text.lower())


def test_a_strong_answer_written_and_spoken(model):
    for text in (STRONG, spoken(STRONG)):
        c = judge(text, model=model)
        assert c["grade"] == "strong", (c["labels"], text[:30])
        for k in GOOD:
            assert c["labels"][k], k
        for k in BAD:
            assert not c["labels"][k], k


def test_blame_and_excuses_make_a_weak_answer(model):
    text = ("Last year my region missed its target by a long way. My manager kept changing our priorities every "
            "month. The warehouse sent us the wrong stock twice. The market was terrible as well, so there was "
            "only so much anyone could have done.")
    for t in (text, spoken(text)):
        c = judge(t, model=model)
        assert c["labels"]["blame"] and c["labels"]["excuses"] and c["grade"] == "weak", c["labels"]
        assert follow_up_need(c) == "blame"


def test_a_humblebrag_is_weak_and_gets_the_real_failure_tip(model):
    c = judge("My biggest failure is that I'm a perfectionist. I just can't stop until everything is flawless.",
              model=model)
    assert c["labels"]["fake_failure"] and c["grade"] == "weak"
    assert c["tips"][0]["label"] == "fake_failure"
    assert "real failure" in c["spoken_summary"]


def test_decoys_in_a_whole_answer(model):
    text = ("In my current job I take ownership of the release process and I sometimes miss deadlines. The team "
            "learned a lot from our last release.")
    c = judge(text, model=model)
    assert not c["labels"]["ownership"] and not c["labels"]["lesson"] and c["grade"] == "weak", c["labels"]


def development_answers():
    return [json.loads(line) for f in ("answers_dev.jsonl", "answers_dev2.jsonl")
            for line in (DATA / f).read_text().splitlines() if line.strip()]


def test_evidence_and_tip_quotes_are_exact_and_tips_ask_only_for_what_is_missing(model, labelled_answers):
    for item in development_answers() + labelled_answers:
        c = judge(item["text"], role=item["role"], model=model)
        assert set(c["evidence"]) == {k for k, v in c["labels"].items() if v}
        for label, quote in c["evidence"].items():
            assert quote in item["text"], (item["id"], label)
        assert 1 <= len(c["tips"]) <= 3 or c["grade"] == "strong"
        for tip in c["tips"]:
            assert tip["quote"] is None or tip["quote"] in item["text"]
            key = tip["label"]
            if key in GOOD:
                assert not c["labels"][key], (item["id"], key)
            elif key in BAD:
                assert c["labels"][key], (item["id"], key)
        if c["tips"]:
            first = c["tips"][0]["tip"].split(":")[0].split(";")[0].split(". ")[0].rstrip(".").lower()
            assert first in c["spoken_summary"].lower()
        assert len(c["spoken_summary"].split()) <= 45


def test_the_first_tip_is_the_change_that_raises_the_grade():
    from voice_interviewer.content import Sentence, spoken_summary, tips

    clauses = [Sentence(0, 40, "Last year our booking page broke for two days.")]
    no_bal = {"dwelling": False}
    # everything but the speaker's own part: owning it is what makes it strong
    labels = dict.fromkeys(LABELS, False) | dict.fromkeys(("situation", "action", "result", "lesson", "applied"), True)
    assert grade(labels) == "adequate"
    out = tips(labels, {}, clauses, no_bal, 3)
    assert out[0]["label"] == "ownership"
    assert "your own mistake" in spoken_summary(labels, out, "adequate", 45)
    # a story with no lesson and nothing changed is weak; either fixes that, the lesson comes first
    labels = dict.fromkeys(LABELS, False) | dict.fromkeys(("situation", "action", "result", "ownership"), True)
    assert [t["label"] for t in tips(labels, {}, clauses, no_bal, 2)] == ["lesson", "applied"]
    # blame outranks a missing link to the job; no tip asks for what is there
    labels = dict.fromkeys(LABELS, True) | {"fake_failure": False, "excuses": False, "ownership": False,
                                            "ties_to_role": False}
    out = tips(labels, {"blame": "x"}, clauses, no_bal, 3)
    assert out[0]["label"] == "blame" and all(not labels[t["label"]] or t["label"] in BAD for t in out)


def test_grade_rule_of_labels_md():
    def reference(l):  # LABELS.md, word for word
        good = sum(l[k] for k in GOOD)
        if l["fake_failure"] or l["blame"] or not (l["lesson"] or l["applied"]) or good < 3:
            return "weak"
        if l["situation"] and l["ownership"] and good >= 5 and not l["excuses"]:
            return "strong"
        return "adequate"

    for values in itertools.product((False, True), repeat=len(LABELS)):
        labels = dict(zip(LABELS, values))
        assert grade(labels) == reference(labels)
    for item in development_answers():
        assert grade(item["labels"]) == item["grade"]


def test_the_grade_weighs_label_probabilities_and_still_follows_from_the_labels_shown():
    from voice_interviewer.content import decide

    def probs(**p):
        return np.array([p.get(k, 0.02) for k in LABELS])

    story = dict(situation=0.97, action=0.95, result=0.9, lesson=0.93, applied=0.9, ownership=0.96, ties_to_role=0.8)
    # clear labels: cut at 0.5, unchanged
    assert decide(probs(**story)) == {k: k in story for k in LABELS}
    # an excuse at 0.45 beside a good story: strong only if the excuse is absent (55 %), adequate otherwise (45 %);
    # two other labels near the line make strong less likely than not, so the grade said is adequate, and the
    # labels said are the likeliest that give it: the excuse, not a good label dropped
    shaky = probs(**(story | dict(excuses=0.45, ties_to_role=0.55, action=0.6)))
    labels = decide(shaky)
    assert grade(labels) == "adequate" and labels["excuses"] and labels["ties_to_role"] and labels["action"]
    # a blame at 0.45 beside a story that is sure of every good label: strong is more likely than not
    sure = {k: 0.995 for k in story}
    labels = decide(probs(**(sure | dict(blame=0.45))))
    assert grade(labels) == "strong" and not labels["blame"]
    # at 0.55 the blame is more likely than not, and the answer is weak
    labels = decide(probs(**(sure | dict(blame=0.55))))
    assert grade(labels) == "weak" and labels["blame"]
    # whatever the probabilities, the grade said is the rule of LABELS.md applied to the labels said
    rng = np.random.default_rng(16)
    for _ in range(300):
        labels = decide(rng.random(len(LABELS)))
        assert set(labels) == set(LABELS) and grade(labels) in ("weak", "adequate", "strong")


@pytest.mark.parametrize("text", ["", "Yes.", "   "])
def test_empty_or_one_word_answer_is_weak_with_a_story_tip(text):
    c = judge(text)
    assert c["grade"] == "weak" and not any(c["labels"].values())
    assert any("specific story" in t["tip"] for t in c["tips"])


def test_clauses_keep_exact_offsets_and_cut_run_ons():
    text = ("so when i started at the surgery i booked a patient into the wrong clinic because i didn't know the "
            "system yet she turned up for a blood test and it was the baby clinic so she had to come back the next day "
            "i said sorry and rebooked her and now i check the clinic list every morning")
    clauses = split_clauses(text)
    assert len(clauses) >= 4
    assert all(text[c.start:c.end] == c.text for c in clauses)
    assert any(c.text.startswith("now i check") or c.text.startswith("and now i check") for c in clauses)
    assert len(split_sentences("One. Two three. Four!")) == 3


def test_pronouns_and_dwelling(model):
    blaming = judge("They changed the plan. He never told us. They were late and they were rude. I was there.",
                    model=model)
    assert blaming["pronouns"]["leans_on_others"]
    dwelling = judge("The launch failed on the first morning of the sale. The servers crashed at noon and stayed down. "
                     "Orders were lost for six hours across every region we sold in. Customers were angry and "
                     "wrote to the support desk all night. The press wrote about it the next day. I learned to test.",
                     model=model)
    assert dwelling["balance"]["dwelling"] is True


def test_analyze_text_cli(tmp_path):
    f = tmp_path / "answer.txt"
    f.write_text(STRONG)
    r = run_cli("analyze", "--text", str(f), "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["delivery"] is None and doc["content"]["grade"] == "strong"
    assert set(doc["content"]["scores"]) == set(LABELS)
    r = run_cli("analyze", "--text", "-", input="I am a perfectionist. I never really fail at anything.")
    assert r.returncode == 0 and "humblebrag" in r.stdout.lower()


def test_missing_encoder_is_one_line_and_non_zero(tmp_path):
    fake = tmp_path / "fake" / content_model.MODEL_MODULE
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('not installed')\n")
    env = {"PYTHONPATH": os.pathsep.join([str(fake.parent), str(ROOT)])}
    r = run_cli("analyze", "--text", "-", input="I missed a deadline last year.", env=env)
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and content_model.MODEL_PACKAGE in lines[0] and "Traceback" not in r.stderr


def test_missing_weights_is_a_clear_error(tmp_path):
    with pytest.raises(content_model.ModelMissing, match="train_content.py"):
        content_model.Weights.load(tmp_path / "none.npz")


def test_shipped_weights_fit_the_development_answers():
    """The shipped weights were trained on these answers (not a held-out figure: see the benchmark)."""
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "content_accuracy.py"), "--installed"],
                       capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    mean = float(next(line.split()[1] for line in r.stdout.splitlines() if line.startswith("mean")))
    assert mean >= 0.9
