"""Word patterns for the content labels, one rule per label (`RULES`), written from the label definitions
(../shared/eval/LABELS.md). They no longer decide anything on their own: content.py's judge gives each
clause's rule hits to the learned classifiers as features, beside the sentence embedding (a pattern is a
cheap, sharp signal for negation, tense and who did it; the embedding carries the meaning).

Also here: the sentence splitter with offsets (evidence is quoted exactly from the transcript), pronoun
counts, the balance between the failure and the response, and specificity.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence


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



# A clause is what the judge scores: a sentence, or a long stretch (a run-on transcript) cut where it turns to a
# new point, so each piece says about one thing. (weight, pattern at the start of the next piece)
CLAUSE_MAX_WORDS = 20
# a sentence ends at . ! ? or ; but not at the point of a number ("£1.4m")
SENTENCE = r"(?:[^.!?;]|(?<=\d)\.(?=\d))+(?:[.!?;]+|$)"
CLAUSE_MIN_WORDS = 4
CLAUSE_CUES = (
    (3.0, r"(?:so |and )?(?:since then|ever since|from then on|these days|nowadays|now i|so now|and now|today i|i now)\b"),
    (3.0, r"(?:and |so |but )?(?:i (?:have |'ve )?(?:learned|learnt|realised|realized)|what i (?:took|learned|learnt|realised"
          r"|realized)|the (?:lesson|takeaway|learning)|lesson for me|it taught me|that taught me|what it taught me)\b"),
    (2.0, r"(?:and |so )?(?:i think that's|and i think|that's (?:the|exactly|something)|in (?:a|this) role|for (?:a|this) role"
          r"|here at|at your|with your|for your|and you)\b"),
    (2.0, r"(?:but|so|because|although|though|when|after|then|until|which|while|whereas)\b"),
    (1.0, r"(?:and|or|before|as)\b"),
    (0.5, r"(?:i|we|my|our|the|they|he|she|it)\b"),  # a likely new sentence in an unpunctuated run-on
)
COMMA_CUE = 2.5
# A clause never ends on a word that needs what follows it: a preposition that takes an object, a determiner or a
# conjunction ("I spent most of my time on | the floor" would cut the speaker's own error in half).
NO_CUT_AFTER = frozenset("of to for with from by about into onto over through than like at on the a an my our your "
                         "their its this these those every each and but so or because".split())
_CLAUSE_CUE = re.compile("|".join(f"(?P<c{i}>{p})" for i, (_, p) in enumerate(CLAUSE_CUES)), re.I)


def _cut_long(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    """Cut text[a:b] in two at its strongest cue nearest the middle, recursively, until the pieces are short."""
    piece = text[a:b]
    n = len(piece.split())
    if n <= CLAUSE_MAX_WORDS:
        out.append((a, b))
        return
    best = None
    for m in re.finditer(r"(?<=\s)(?=\S)", piece):
        left, right = piece[:m.start()], piece[m.start():]
        nl, nr = len(left.split()), len(right.split())
        if nl < CLAUSE_MIN_WORDS or nr < CLAUSE_MIN_WORDS:
            continue
        weight = COMMA_CUE if left.rstrip().endswith((",", ":", "-")) else 0.0
        if not weight and left.split()[-1].lower() in NO_CUT_AFTER:
            continue
        cue = _CLAUSE_CUE.match(right)
        if cue:
            weight = max(weight, next(w for i, (w, _) in enumerate(CLAUSE_CUES) if cue.group(f"c{i}")))
        if weight:
            score = weight - 2.0 * abs(nl - nr) / n
            if best is None or score > best[0]:
                best = (score, m.start())
    if best is None:
        out.append((a, b))
        return
    _cut_long(text, a, a + best[1], out)
    _cut_long(text, a + best[1], b, out)


def split_clauses(text: str) -> list[Sentence]:
    """Sentences, with long ones (run-on transcripts) cut into clauses at discourse cues; exact offsets."""
    out: list[Sentence] = []
    for m in re.finditer(SENTENCE, text):
        spans: list[tuple[int, int]] = []
        _cut_long(text, m.start(), m.end(), spans)
        for a, b in spans:
            seg = text[a:b]
            lead = len(seg) - len(seg.lstrip())
            seg = seg.strip()
            if re.search(r"[A-Za-z0-9]", seg):
                out.append(Sentence(a + lead, a + lead + len(seg), seg))
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


# --- the other measures ---------------------------------------------------------------------------

def pronouns(text: str) -> dict:
    t = text.lower()
    n = max(1, len(re.findall(r"[a-z']+", t)))
    counts = {"first_singular": len(FIRST_SINGULAR.findall(t)), "second": len(SECOND.findall(t)),
              "third": len(THIRD.findall(t))}
    rates = {k: round(100.0 * v / n, 2) for k, v in counts.items()}
    return {"counts": counts, "per_100_words": rates,
            "leans_on_others": counts["third"] + counts["second"] > counts["first_singular"]}


def specificity(text: str) -> dict:
    concrete = [m.group(0) for m in CONCRETE.finditer(text) if not _sentence_initial(text, m.start())]
    vague = [m.group(0) for m in VAGUE.finditer(text.lower())]
    total = len(concrete) + len(vague)
    return {"concrete": len(concrete), "vague": len(vague), "examples": sorted(set(concrete))[:8],
            "vague_words": sorted(set(vague))[:8], "score": round(len(concrete) / total, 2) if total else 0.0}


def _sentence_initial(text: str, i: int) -> bool:
    before = text[:i].rstrip()
    return (not before or before[-1] in ".!?") and text[i:i + 1].isupper() and not text[i].isdigit()


