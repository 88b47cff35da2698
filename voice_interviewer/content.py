"""Content coaching: what the answer says, judged against the advice for failure questions.

The advice (../shared/seed/, ../shared/eval/LABELS.md): tell a specific story (situation), say what you
did about it (action) and how it turned out (result), own your part (ownership), say what you learned
(lesson) and what you do differently since (applied), tie it to the job (ties_to_role); avoid blaming
others (blame), excuses, and fake failures (humblebrags or "I never fail").

Each label is decided by one rule below (`RULES`), written from those definitions as patterns over
sentences. Every rule returns the sentence that shows it, quoted exactly from the transcript, so the
feedback can point at what the person said. The rules work on Whisper output: lower case, missing
punctuation, fillers already removed. No network, no model: a few milliseconds per answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from voice_interviewer.config import DEFAULT_THRESHOLDS, Thresholds

LABELS = ("situation", "action", "result", "lesson", "applied", "ownership", "blame", "excuses",
          "fake_failure", "ties_to_role")
GOOD = ("situation", "action", "result", "lesson", "applied", "ownership", "ties_to_role")
BAD = ("blame", "excuses", "fake_failure")

DESCRIPTIONS = {
    "situation": "a specific story: when, where, what project",
    "action": "what you did once it went wrong",
    "result": "the outcome: what it cost, or how the recovery went",
    "lesson": "what you learned, said outright",
    "applied": "what you do differently since",
    "ownership": "your own part, owned",
    "blame": "blaming other people",
    "excuses": "excuses",
    "fake_failure": "fake failure (a humblebrag or a denial of failing)",
    "ties_to_role": "a link to this job",
}


# --- sentences ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sentence:
    start: int  # character offsets into the answer text
    end: int
    text: str  # exactly text[start:end]

    @property
    def low(self) -> str:
        # Whisper scatters commas ("I, owned that"); the rules read the words
        return re.sub(r"\s+", " ", self.text.lower().replace(",", " ")).strip()


# Where a run-on transcript (no punctuation) most likely starts a new sentence.
BREAK_BEFORE = re.compile(
    r"\s(?=(?:and then|but then|so then|after that|since then|from then on|ever since|now i|today i|these days"
    r"|i learned|i learnt|the lesson|what i learned|that taught me|i realized|i realised|i would|for this role"
    r"|in this role|at your)\b)", re.I)
LONG_SENTENCE_WORDS = 28
DWELLING_MIN_WORDS = 40  # too short an answer to say where its weight lies


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets; run-on stretches are cut before discourse markers."""
    out: list[Sentence] = []
    for m in re.finditer(r"[^.!?;]+[.!?;]*", text):
        a, b = m.start(), m.end()
        piece = text[a:b]
        cuts = [0]
        if len(piece.split()) > LONG_SENTENCE_WORDS or not re.search(r"[.!?]", text):
            cuts += [c.start() + 1 for c in BREAK_BEFORE.finditer(piece)]
        cuts.append(len(piece))
        for x, y in zip(cuts, cuts[1:]):
            seg = piece[x:y]
            lead = len(seg) - len(seg.lstrip())
            seg = seg.strip()
            if re.search(r"[A-Za-z0-9]", seg):
                out.append(Sentence(a + x + lead, a + x + lead + len(seg), seg))
    return out


# --- lexicons (from the article's advice and the label definitions) -------------------------------

NEG = r"(?:not|n't|never|no)"
I = r"\bi\b"
PAST_IRREGULAR = (
    "was were had did made took told gave ran sent went got lost missed failed forgot broke wrote "
    "spent chose put set let kept left led thought knew saw said began became brought bought built "
    "caught came fell felt found grew heard held hid hit hurt meant met paid read rode rose sat "
    "shot showed shut sold sought spoke stood stole struck swore taught tore threw understood woke "
    "won wore overlooked underestimated overestimated misjudged misread"
).split()
PAST_VERB = r"(?:\b(?:" + "|".join(PAST_IRREGULAR) + r")\b|\b[a-z]{3,}ed\b)"
TIME_MARKER = (
    r"\b(?:once|one time|last (?:year|month|week|spring|summer|autumn|fall|winter|quarter)|early on|"
    r"in my (?:first|last|previous|old)|at my (?:first|last|previous|old)|my first|a few (?:years|months|weeks) ago|"
    r"(?:years|months|weeks|days) ago|in (?:19|20)\d\d|when i was|when i worked|back in|on the day|"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)|"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|in (?:one|a|the) (?:quarter|month|week|year)|"
    r"(?:previous|last|former) (?:job|role|company|employer|team|position))\b")
CONCRETE_NOUN = (
    r"\b(?:project|deadline|release|launch|client|customer|report|exam|test|deal|sale|quota|target|goal|"
    r"budget|presentation|meeting|campaign|venue|conference|event|batch|order|shipment|story|article|"
    r"drawer|account|roles?|hires?|candidates?|team|migration|database|server|deploy(?:ment)?|feature|"
    r"bug|outage|invoice|audit|inspection|review|interview|pitch|proposal|contract|class|lesson|course|"
    r"shift|patient|student|exam|list|membership|programme|program|product|app|website|code|plan)\b")
NUMBER = (r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
          r"forty|fifty|sixty|hundred|thousand|million|half|dozen)\b")

# What the speaker did once it went wrong (the response, not the mistake).
ACTION = re.compile(
    r"\b(?:i|we)\b[^.]{0,40}?\b(?:told|informed|reported|flagged|escalated|raised|apologi[sz]ed|owned|admitted|"
    r"fixed|corrected|repaired|recalled|rewrote|rebuilt|redid|re-did|reworked|refunded|gave (?:them|him|her|the client) "
    r"|called|emailed|contacted|asked (?:for|my|the|a|our) (?:\w+ )?(?:for )?help|asked for|worked with|stayed late|started|set up|created|introduced|"
    r"put in place|changed|switched|moved|reorgani[sz]ed|rescheduled|negotiated|offered|organi[sz]ed|streamed|"
    r"ran a correction|ran a|looked (?:at|into)|dug into|investigated|analy[sz]ed|reviewed|went back|took (?:over|charge)|"
    r"made sure|made a plan|came up with|sat down with|met with|trained|documented|tested)\b")

# How it turned out: the cost, or how the recovery went.
RESULT = re.compile(
    r"\b(?:missed|lost|failed|cost|costs|delayed|late|off by|only|fell short|short of|reached|ended up|had to|"
    r"resulted|led to|passed|recovered|saved|won back|recalled|complain(?:ed|t)|refund|dropp(?:ed|ing) out|"
    r"slipped|overran|broke|crashed|went down|was wrong|were wrong|wrong|too late|did not (?:meet|hit|make)|"
    r"didn't (?:meet|hit|make)|(?:filled|hit|made|got|sold|closed) (?:only )?" + NUMBER[2:-2] + r"|held only|"
    r"the (?:second|next) time|on time|back on track|in the end|eventually|as a result)\b")

LESSON = re.compile(
    r"\b(?:i (?:have )?(?:learned|learnt)|the (?:biggest |main |real |key )?(?:lesson|takeaway)|"
    r"(?:it|that|this|the experience) (?:taught|showed) me|taught me|what i took away|i took away|"
    r"i (?:realized|realised|understood|discovered) (?:that|how|i)|i now (?:know|understand|see)|"
    r"made me realize|made me realise|i came away)\b")
LESSON_NEGATED = re.compile(r"\b(?:didn't|did not|never|haven't|have not) (?:really )?(?:learn|learned|learnt)\b|"
                            r"\bno (?:real )?lesson\b|\bnothing to learn\b|"
                            # "I learned a lot" says nothing about what was learned
                            r"\blearn(?:ed|t) (?:a lot|so much|a great deal|loads|many things|my lesson|from (?:it|that|this))\s*[.!?]*$")

APPLIED = re.compile(
    r"\b(?:since then|ever since|from then on|from that day|these days|nowadays|to this day|"
    r"now i|i now|now,? i|now we|we now|is now how|are now how|today i|i still|i always \w+ now|"
    r"have (?:used|applied|done|kept|followed) [^.]{0,40}\bsince|since that|going forward,? i (?:have|always)|"
    r"every time i \w+ now|now every|now before|now when)\b")
APPLIED_NEGATED = re.compile(r"\b(?:i still (?:don't|do not|can't|cannot)|now i (?:don't|can't) (?:know|think))\b")

# The speaker names their own mistake: "my mistake", "I should have", "I underestimated", "I didn't X enough".
OWNERSHIP = re.compile(
    r"\b(?:my (?:own )?(?:mistake|fault|error|responsibility|oversight|call|bad)|"
    r"i (?:take|took|accept|accepted) (?:full |the )?(?:responsibility|ownership|the blame)|"
    r"i owned|i was responsible|i am responsible|i'm responsible|i should have|i shouldn't have|i should not have|"
    r"i (?:had )?(?:made|make) (?:a|the|an) (?:\w+ )?(?:mistake|error|bad call|wrong call)|"
    r"i (?:had )?(?:underestimated|overestimated|misjudged|misread|misunderstood|overlooked|ignored|neglected|forgot|"
    r"assumed|rushed|skipped|missed|mixed up|mixed|messed up|dropped|failed to|didn't check|did not check|"
    r"didn't test|did not test|didn't ask|did not ask|didn't plan|did not plan|didn't prepare|did not prepare|"
    r"didn't study|did not study|didn't (?:\w+ ){0,3}enough|did not (?:\w+ ){0,3}enough|"
    r"(?:\w+ ){0,3}too (?:few|little|late|much|many|quickly|fast)|(?:\w+ ){0,10}without (?:checking|visiting|testing|asking|reading|confirming|looking)|"
    r"put all my|hardly|only focused|focused only|spent (?:too|all))|"
    r"part of (?:that|it|this) was (?:my|on me)|that (?:one )?(?:was|is) on me|it was on me|i (?:had )?(?:let|dropped) the ball|"
    r"i (?:\w+ )?failed (?:my|to|the|at)|i (?:have to |must )?admit)\b")
OWNERSHIP_NEGATED = re.compile(r"\b(?:(?:was|is)(?:n't| not) my (?:fault|mistake|responsibility)|"
                               r"not on me|nothing i could)\b")

PEOPLE = (
    r"manager|managers|management|boss|bosses|lead|supervisor|director|colleague|colleagues|coworker|coworkers|"
    r"co-workers?|teammate|teammates|engineers|developers|designers|client|clients|customer|customers|vendor|"
    r"vendors|supplier|suppliers|contractor|contractors|head office|hr|leadership|executives|stakeholders|"
    r"product team|sales team|other team|hiring managers|recruiters|partner|partners|intern|interns")
OTHER_PEOPLE = (
    r"(?:(?:my|our|the|his|her|their|two|three|some|several|a few|other|another)\s+)?(?:\w+\s+)?"
    r"(?:" + PEOPLE + r"|he|she|they|nobody else|everyone else|someone else|the company|the business)")
# Other people as the cause, doing something that made it fail.
BLAME = re.compile(
    r"(?:^|\bbecause\s+|\bsince\s+|\bas\s+|\band\s+|,\s*|\bso\s+)" + OTHER_PEOPLE +
    r"\s+(?:also\s+|just\s+|always\s+)?(?:never \w+|kept \w+ing|(?:were|was) (?:too |very |really |so |always )?(?:slow|late|wrong|unhelpful|unclear|unresponsive|difficult|rude|lazy|careless|incompetent|disorgani[sz]ed|absent|unavailable|not|supposed to|meant to)|did not|didn't|don't|do not|wouldn't|would not|"
    r"couldn't|could not|refused|failed|quit|left|changed|ignored|forgot|gave (?:us|me) (?:the )?wrong|"
    r"dropped the ball|let (?:us|me) down|messed up|missed|made (?:a|the) mistake|blamed|cut|pulled|moved)\b"
    r"(?!\s+(?:me|us)\s+(?:a|an)\s+chance)", re.I)
BLAME_PHRASES = re.compile(r"\b(?:it was (?:their|his|her|the \w+'s) fault|(?:their|his|her) fault|because of (?:them|him|her|my (?:manager|boss|team))|"
                           r"(?:they|he|she) (?:didn't|did not) (?:tell|give|support|help)|nobody told me|no one told me)\b")
BLAME_NEGATED = re.compile(r"\b(?:didn't|did not|don't|do not|won't|not|never|no) (?:want to )?blam|"
                           r"\bnot (?:their|his|her) fault\b")

# Circumstances and justifications that deflect ("a long day", "the economy", "out of my control").
EXCUSES = re.compile(
    r"\b(?:(?:it|that) was (?:a |such a )?(?:really |very )?(?:long|busy|tough|hard|bad|crazy|rough) (?:day|week|month|year|time)|"
    r"bad luck|unlucky|the economy|the market|out of my (?:control|hands)|beyond my control|"
    r"(?:not much|nothing|little) (?:i|we) could (?:have )?do(?:ne)?|there was (?:not much|nothing|little) (?:i|we) could|"
    r"(?:isn't|wasn't|is not|was not) my fault|not my fault|"
    r"because i was (?:working|busy|tired|sick|ill|new|swamped|overloaded|juggling|covering|doing)|"
    r"i was (?:too )?(?:busy|tired|swamped|overloaded|stretched)|i didn't have (?:enough )?(?:time|support|resources)|"
    r"(?:there was|we had) (?:no|not enough) (?:time|budget|support|resources|staff)|"
    r"(?:budget|salary bands?|pay|resources|timeline|deadline) (?:was|were) (?:too )?(?:low|tight|short|unrealistic)|"
    r"(?:didn't|did not) give (?:us|me) enough|(?:changed|kept changing) the (?:requirements|rules|scope|plan|brief)|"
    r"the rules changed|(?:requirements|rules|scope) (?:changed|kept changing)|kept dropping out|"
    r"(?:engineers|people|staff|colleagues|members) (?:quit|left)|anyone would have|everyone makes mistakes|"
    r"(?:wasn't|was not) (?:given|trained|told)|nobody told me|no one told me)\b")

FAKE_FAILURE = re.compile(
    r"\b(?:perfectionist|perfectionism|work(?:ing)? too hard|care too much|too (?:dedicated|committed|detail[- ]oriented|"
    r"passionate|hard[- ]working|honest)|(?:can't|cannot|can not|couldn't) (?:really )?think of (?:a|any) (?:real |single |big )?"
    r"(?:mistake|failure|time)|(?:never|haven't|have not|don't|do not) (?:really )?(?:failed|fail|made (?:a|any) (?:real )?mistakes?)|"
    r"(?:haven't|have not|never) had (?:a|any) (?:real )?(?:failures?|mistakes?)|my decisions have (?:mostly |always |all )?worked out|"
    r"i (?:have|'ve) been (?:lucky|fortunate)|(?:everything|it all) (?:has )?(?:always )?worked out|"
    r"my (?:biggest )?(?:weakness|failure) is that i (?:work|care|am too|'m too))\b")

# A link from the lesson to the job being interviewed for.
TIES = re.compile(
    r"\b(?:this (?:role|position|job|team|company|opportunity)|the (?:role|position|job) (?:here|you|i'm|i am)|"
    r"(?:at|for|to|with|in|on|join) your (?:\w+ )?(?:company|team|plant|gym|firm|organi[sz]ation|business|school|clinic|"
    r"hospital|store|shop|bank|agency|newsroom|office|department|studio|restaurant|site|practice|lab|group|customers|"
    r"clients|students|patients|members|product|products|platform|mission)|here at|(?:a|the) \w+ role (?:at|with|like)|"
    r"in this (?:job|role|position)|(?:i|i'd|i would|i will|i'll|i can) (?:bring|apply|use|carry) (?:that|this|the same|it)[^.]{0,60}\b(?:here|role|job|team|you)|"
    r"i would use the same|i'd use the same|that is the (?:mindset|approach|attitude) i (?:would|will|'d) bring)\b")

VAGUE = re.compile(r"\b(?:always|usually|generally|sometimes|things|stuff|something|everything|anything|a lot|lots|"
                   r"kind of|sort of|very|really|basically|whatever|somehow|in general|various|etc)\b")
CONCRETE = re.compile(NUMBER + "|" + TIME_MARKER + r"|\$\d|\b\d+%|\b(?:[A-Z][a-z]+(?:\s[A-Z][a-z]+)*)\b")

FIRST_SINGULAR = re.compile(r"\b(?:i|me|my|mine|myself|i'm|i've|i'd|i'll)\b")
SECOND = re.compile(r"\b(?:you|your|yours|yourself|you're|you've|you'd|you'll)\b")
THIRD = re.compile(r"\b(?:he|she|they|him|her|them|his|their|theirs|he's|she's|they're|they've|" + PEOPLE + r")\b")


# --- rules: one per label, each returns the sentence that shows it (or None) ----------------------

def _first(sentences: Sequence[Sentence], test: Callable[[str], bool]) -> Sentence | None:
    for s in sentences:
        if test(s.low):
            return s
    return None


def rule_fake_failure(ss):
    """A humblebrag or a denial of having failed (the article: don't lie or pick a disguised strength)."""
    return _first(ss, lambda t: bool(FAKE_FAILURE.search(t)))


def rule_situation(ss):
    """A specific past event: a past-tense sentence with a time, a number or a concrete thing (project,
    client, exam). General statements about failure ("I think failure is...") are not a story."""
    def test(t):
        if FAKE_FAILURE.search(t) or re.search(r"\bi think failure\b|\bfailure is\b", t):
            return False
        past = re.search(PAST_VERB, t)
        return bool(past and (re.search(TIME_MARKER, t) or re.search(NUMBER, t) or re.search(CONCRETE_NOUN, t)))
    return _first(ss, test)


def rule_action(ss):
    """What the speaker (or their team, led by them) did once it went wrong."""
    return _first(ss, lambda t: bool(ACTION.search(t)) and not LESSON.search(t) and not FAKE_FAILURE.search(t))


def rule_result(ss):
    """An outcome in the past tense: what it cost or how the recovery turned out."""
    return _first(ss, lambda t: bool(RESULT.search(t) and re.search(PAST_VERB + r"|\bonly\b|\boff by\b", t))
                  and not FAKE_FAILURE.search(t))


def rule_lesson(ss):
    """The speaker says outright what they learned ("I learned", "the lesson was", "it taught me")."""
    return _first(ss, lambda t: bool(LESSON.search(t)) and not LESSON_NEGATED.search(t))


def rule_applied(ss):
    """What the speaker has done differently since, or does now ("since then", "now I", "I still")."""
    return _first(ss, lambda t: bool(APPLIED.search(t)) and not APPLIED_NEGATED.search(t))


def rule_ownership(ss):
    """The speaker names their own part: "my mistake", "I should have", "I underestimated", "I didn't X enough"."""
    return _first(ss, lambda t: bool(OWNERSHIP.search(t)) and not OWNERSHIP_NEGATED.search(t)
                  and not FAKE_FAILURE.search(t))


def rule_blame(ss):
    """Other people as the cause (manager, colleague, client, head office), not negated ("I didn't blame")."""
    return _first(ss, lambda t: bool(BLAME.search(t) or BLAME_PHRASES.search(t)) and not BLAME_NEGATED.search(t))


def rule_excuses(ss):
    """Circumstances or justifications that deflect: bad luck, the economy, a long day, rules changed."""
    return _first(ss, lambda t: bool(EXCUSES.search(t)))


def rule_ties_to_role(ss, role: str | None = None, values: Sequence[str] = ()):
    """A link to the job: "this role", "your team", the company; or the given role's or values' words."""
    extra = []
    for phrase in [role or "", *values]:
        words = [w for w in re.findall(r"[a-z]+", phrase.lower()) if len(w) > 3 and w not in {"senior", "junior", "lead"}]
        extra += words
    forward = re.compile(r"\b(?:i would|i'd|i will|i'll|i can|i want|i'm excited|i am excited|bring|here)\b")

    def test(t):
        if TIES.search(t):
            return True
        return bool(extra) and bool(forward.search(t)) and any(re.search(rf"\b{re.escape(w)}", t) for w in extra)
    return _first(ss, test)


RULES: dict[str, Callable] = {
    "situation": rule_situation, "action": rule_action, "result": rule_result, "lesson": rule_lesson,
    "applied": rule_applied, "ownership": rule_ownership, "blame": rule_blame, "excuses": rule_excuses,
    "fake_failure": rule_fake_failure, "ties_to_role": rule_ties_to_role,
}


def grade(labels: dict[str, bool]) -> str:
    """strong: a specific story, owned, with the response, the lesson and what changed, and no excuses.
    weak: a fake failure, no story, blame, or neither ownership nor a lesson. adequate: in between."""
    if labels["fake_failure"] or not labels["situation"] or labels["blame"]:
        return "weak"
    if not (labels["ownership"] or labels["lesson"]):
        return "weak"
    if all(labels[k] for k in ("action", "lesson", "applied", "ownership")) and not labels["excuses"]:
        return "strong"
    return "adequate"


# --- the other measures ---------------------------------------------------------------------------

def pronouns(text: str) -> dict:
    t = text.lower()
    n = max(1, len(re.findall(r"[a-z']+", t)))
    counts = {"first_singular": len(FIRST_SINGULAR.findall(t)), "second": len(SECOND.findall(t)),
              "third": len(THIRD.findall(t))}
    rates = {k: round(100.0 * v / n, 2) for k, v in counts.items()}
    return {"counts": counts, "per_100_words": rates,
            "leans_on_others": counts["third"] + counts["second"] > counts["first_singular"]}


def balance(sentences: Sequence[Sentence], text: str, words=None,
            thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    """Share of the answer on the failure itself vs. the response, lesson and what changed."""
    response_rules = (rule_action, rule_lesson, rule_applied, rule_ties_to_role)
    failure_words = response_words = 0
    failure_s = response_s = 0.0
    spans = _sentence_times(sentences, text, words) if words else [None] * len(sentences)
    for s, span in zip(sentences, spans):
        n = len(s.text.split())
        is_response = any(r([s]) for r in response_rules)
        if is_response:
            response_words += n
        else:
            failure_words += n
        if span:
            if is_response:
                response_s += span[1] - span[0]
            else:
                failure_s += span[1] - span[0]
    total = failure_words + response_words
    share = failure_words / total if total else 0.0
    out = {"failure_words": failure_words, "response_words": response_words, "failure_share": round(share, 2),
           "dwelling": bool(total >= DWELLING_MIN_WORDS and share > thresholds.dwelling_share)}
    if words:
        out["failure_seconds"] = round(failure_s, 1)
        out["response_seconds"] = round(response_s, 1)
    return out


def _sentence_times(sentences: Sequence[Sentence], text: str, words) -> list[tuple[float, float] | None]:
    """Map sentences of the clean text onto the (non-filler) timed words, in order."""
    timed = [w for w in words if not getattr(w, "filler", False)]
    out, k = [], 0
    for s in sentences:
        n = len(s.text.split())
        chunk = timed[k:k + n]
        k += n
        out.append((chunk[0].start, chunk[-1].end) if chunk else None)
    return out


def specificity(text: str) -> dict:
    concrete = [m.group(0) for m in CONCRETE.finditer(text) if not _sentence_initial(text, m.start())]
    vague = [m.group(0) for m in VAGUE.finditer(text.lower())]
    total = len(concrete) + len(vague)
    return {"concrete": len(concrete), "vague": len(vague), "examples": sorted(set(concrete))[:8],
            "vague_words": sorted(set(vague))[:8], "score": round(len(concrete) / total, 2) if total else 0.0}


def _sentence_initial(text: str, i: int) -> bool:
    before = text[:i].rstrip()
    return (not before or before[-1] in ".!?") and text[i:i + 1].isupper() and not text[i].isdigit()


# --- tips and the spoken summary ------------------------------------------------------------------


def _topic(sentence: str | None) -> str:
    """A few words naming the failure, from the answer's own words ("meet a deadline on a project")."""
    if not sentence:
        return "that"
    m = re.search(r"\b(?:failed to|didn't|did not|missed|lost|forgot to|couldn't|could not)\s+((?:\w+\s?){1,6})", sentence, re.I)
    if m:
        return "the time I " + m.group(0).strip().rstrip(",.")
    return "that"


def tips(labels: dict, evidence: dict, sentences: Sequence[Sentence], bal: dict, limit: int) -> list[dict]:
    first = sentences[0].text if sentences else None
    story = evidence.get("situation") or first
    topic = _topic(story)
    out: list[dict] = []

    def add(tip, quote, suggestion):
        out.append({"tip": tip, "quote": quote, "suggestion": suggestion})

    if labels["fake_failure"]:
        add("Pick a real failure. A humblebrag or 'I never fail' reads as evasive; interviewers want to see how you handle a setback.",
            evidence.get("fake_failure"), "One time I missed a deadline because I underestimated the work. Here is what I did about it...")
    if not labels["situation"] and not labels["fake_failure"]:
        add("Tell one specific story: when it happened, what the project or task was, and what went wrong.",
            first, "In my last role, I was responsible for ... and it went wrong when ...")
    if labels["blame"]:
        add("Own your part instead of pointing at others: say what you could have done differently.",
            evidence.get("blame"), "Looking back, my part was that I should have raised the risk earlier.")
    if labels["excuses"]:
        add("Drop the excuse; state the cause plainly and move on to what you did about it.",
            evidence.get("excuses"), "The cause was mine: I should have planned for it. What I did next was ...")
    if not labels["ownership"] and not labels["blame"] and not labels["fake_failure"] and labels["situation"]:
        add("Say plainly what your own mistake was.", story, "My mistake was that I ...")
    if not labels["lesson"] and not labels["fake_failure"]:
        add("Say outright what you learned.", story, f"What I learned from {topic} was that I need to ...")
    if not labels["applied"] and not labels["fake_failure"]:
        add("Say what you do differently since, with an example that shows it works.",
            evidence.get("lesson") or story, "Since then, I ... and on my next project that meant ...")
    if not labels["action"] and labels["situation"]:
        add("Say what you did once it went wrong: who you told, what you fixed.", story,
            "As soon as I saw it, I told my manager and ...")
    if bal.get("dwelling"):
        add("Spend less time on the failure and more on what you did and learned.", story,
            "Keep the failure to two sentences, then: what I did, what I learned, what I do now.")
    if not labels["ties_to_role"] and labels["situation"] and not labels["fake_failure"]:
        add("Close by tying the lesson to this job.", evidence.get("lesson") or evidence.get("applied"),
            "That is exactly how I would approach ... in this role.")
    return out[:limit]


STRENGTHS = (
    ("ownership", "You owned your part clearly"),
    ("lesson", "You said what you learned"),
    ("applied", "You showed what you do differently now"),
    ("situation", "You told a specific story"),
    ("action", "You said what you did about it"),
    ("ties_to_role", "You tied it to the job"),
)


def spoken_summary(labels: dict, tip_list: list[dict], grade_: str, max_words: int) -> str:
    good = next((msg for key, msg in STRENGTHS if labels.get(key)), None)
    if labels.get("fake_failure"):
        good = None
    first = good + "." if good else "Thanks for your answer."
    if tip_list:
        change = tip_list[0]["tip"].split(":")[0].split(";")[0].rstrip(".")
        second = f"The one change that would help most: {change[0].lower() + change[1:]}."
    else:
        second = "Keep it this way, and keep it under two minutes."
    text = f"Overall {grade_}. {first} {second}"
    text = re.sub(r"[^A-Za-z0-9 ,.'?!-]", "", text)
    words = text.split()
    if len(words) > max_words:
        text = " ".join(words[:max_words]).rstrip(",") + "."
    return text


# --- the entry point ------------------------------------------------------------------------------

def judge(text: str, words: Sequence | None = None, *, role: str | None = None, values: Sequence[str] | None = None,
          question: str | None = None, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    """The `content` section of analysis.json for one answer (clean transcript text, optional timed words)."""
    text = text or ""
    sentences = split_sentences(text)
    labels, evidence = {}, {}
    for name, rule in RULES.items():
        hit = rule(sentences, role, list(values or ())) if name == "ties_to_role" else rule(sentences)
        labels[name] = hit is not None
        if hit is not None:
            evidence[name] = hit.text
    if labels["fake_failure"]:
        # a denial or humblebrag is not a story, whatever its grammar
        for k in ("situation", "action", "result", "lesson", "applied", "ownership"):
            labels[k] = False
            evidence.pop(k, None)
    g = grade(labels)
    bal = balance(sentences, text, words, thresholds)
    tip_list = tips(labels, evidence, sentences, bal, thresholds.max_tips)
    if len(text.split()) < 3 and not tip_list:
        tip_list = [{"tip": "Tell a specific story: when it happened, what went wrong, and what you did.",
                     "quote": None, "suggestion": "One time I ..."}]
    return {
        "labels": labels,
        "evidence": evidence,
        "grade": g,
        "pronouns": pronouns(text),
        "balance": bal,
        "specificity": specificity(text),
        "tips": tip_list,
        "spoken_summary": spoken_summary(labels, tip_list, g, thresholds.spoken_summary_max_words),
    }


def follow_up_need(content: dict | None) -> str | None:
    """What a follow-up question should ask for, most important first: "blame", "ownership", "lesson",
    "applied"; None when the answer has them all."""
    if not content:
        return None
    labels = content.get("labels") or {}
    if labels.get("blame"):
        return "blame"
    for key in ("ownership", "lesson", "applied"):
        if not labels.get(key):
            return key
    return None


def checklist(content: dict) -> list[tuple[str, str, str | None]]:
    """(mark, description, quote) per label for display: "x" done, " " missing, "!" a problem."""
    labels = content.get("labels") or {}
    evidence = content.get("evidence") or {}
    out = []
    for name in LABELS:
        value = bool(labels.get(name))
        bad = name in BAD
        mark = ("!" if value else "x") if bad else ("x" if value else " ")
        desc = DESCRIPTIONS[name] if not bad else ("no " + DESCRIPTIONS[name] if not value else DESCRIPTIONS[name])
        out.append((mark, desc, evidence.get(name) if value else None))
    return out
