"""Small typed records that flow between the stages (dataclasses.asdict gives the analysis.json form)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Word:
    word: str  # as spoken, punctuation attached ("failed,")
    start: float
    end: float
    probability: float | None = None  # None for fillers found in the audio, not by the model
    filler: bool = False
    source: str = "asr"  # "asr" (the model wrote it) or "acoustic" (a hesitation found in the audio: analysis, hesitation)
    low_confidence: bool = False  # the model was unsure of this word: kept, shown greyed


@dataclass
class Transcript:
    text: str  # clean: fillers removed
    verbatim: str  # every spoken word, fillers kept
    language: str
    model: str
    engine: str
    words: list[Word] = field(default_factory=list)


@dataclass
class FillerItem:
    word: str  # lower-case canonical form: "um", "uh", "like", "you know", ...
    start: float
    end: float
    source: str  # "asr" or "acoustic"


@dataclass
class Fillers:
    total: int
    per_minute: float
    percent: float
    by_word: dict[str, int]
    items: list[FillerItem]


@dataclass
class Pause:
    start: float
    end: float
    duration_s: float
    mid_sentence: bool


@dataclass
class Pauses:
    count: int
    longest_s: float
    items: list[Pause]


@dataclass
class PaceWindow:
    start_s: float
    end_s: float
    wpm: float


@dataclass
class Length:
    seconds: float
    band: str


@dataclass
class Volume:
    mean_dbfs: float | None
    sentence_end_drop_db: float | None
    trailing_off: bool


@dataclass
class Pitch:
    median_hz: float | None
    stdev_semitones: float | None
    monotone: bool | None


@dataclass
class Readability:
    flesch_reading_ease: float | None
    grade: float | None


@dataclass
class Delivery:
    speech_start_s: float | None
    speech_end_s: float | None
    word_count: int
    wpm: float
    articulation_wpm: float
    pace_band: str
    pace_windows: list[PaceWindow]
    fillers: Fillers
    filler_band: str
    pauses: Pauses
    time_to_first_word_s: float | None
    length: Length
    volume: Volume
    pitch: Pitch
    readability: Readability
