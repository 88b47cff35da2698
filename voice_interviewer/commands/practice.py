"""`voice-interviewer practice` (the default): ask failure questions aloud, record, give feedback."""
from __future__ import annotations

from voice_interviewer.commands.common import (
    add_content_options, add_model_options, add_recordings_option, add_voice_options, non_negative_float, positive_float,
    positive_int, settings, thresholds,
)

HELP = "practise answering failure questions out loud (the default command)"


def add_arguments(p):
    p.add_argument("--questions", metavar="FILE", help="your own question bank (TOML, same format as prompts/questions.toml)")
    p.add_argument("--question", metavar="ID", help="ask this question only")
    p.add_argument("--count", type=positive_int, default=3, help="how many questions (default 3)")
    p.add_argument("--seed", type=int, help="shuffle the questions reproducibly")
    p.add_argument("--show-tips", action="store_true", help="show each question's tip")
    p.add_argument("--prep", type=non_negative_float, default=None, metavar="SECONDS",
                   help="preparation countdown before recording (default 0; 30 in --video-mode)")
    p.add_argument("--end-silence", type=positive_float, default=4.0, metavar="SECONDS",
                   help="end the answer after this much silence (default 4)")
    p.add_argument("--max-seconds", type=positive_float, default=None, metavar="SECONDS",
                   help="longest answer (default 180; 120 in --video-mode)")
    p.add_argument("--start-timeout", type=positive_float, default=20.0, metavar="SECONDS",
                   help="give up when no answer starts within this time (default 20)")
    p.add_argument("--video-mode", action="store_true",
                   help="rehearse a one-way video interview: fixed prep time, hard limit, limited retakes, feedback at the end")
    p.add_argument("--retakes", type=int, default=1, help="retakes allowed per question in --video-mode (default 1)")
    p.add_argument("--no-speak", action="store_true", help="show the questions and feedback without speaking them")
    add_voice_options(p)
    p.add_argument("--input-device", metavar="INDEX|NAME", help="microphone (see `voice-interviewer devices`)")
    p.add_argument("--output-device", metavar="INDEX|NAME", help="speaker (see `voice-interviewer devices`)")
    p.add_argument("--story", metavar="NAME", help="check answers against a story prepared with `voice-interviewer prepare`")
    add_recordings_option(p)
    add_model_options(p)
    add_content_options(p)


def run(args) -> int:
    from voice_interviewer.config import recordings_dir
    from voice_interviewer.errors import UserError
    from voice_interviewer.practice import VIDEO_MAX_S, VIDEO_PREP_S, Options, resolve_devices, run_session
    from voice_interviewer.questions import load_bank

    if args.retakes < 0:
        raise UserError("--retakes must be 0 or more", 2)
    bank = load_bank(args.questions)
    questions = [bank.get(args.question)] if args.question else bank.pick(args.count, args.seed)
    cfg = settings(args)
    root = recordings_dir(args.recordings)
    story = None
    if args.story:
        from voice_interviewer.stories import load_story

        story = load_story(root, args.story)
    inp, out = resolve_devices(args.input_device, args.output_device, not args.no_speak)
    video = args.video_mode
    opts = Options(
        questions=questions, bank=bank, root=root, input_device=inp, output_device=out, speak=not args.no_speak,
        voice=cfg.get("voice"), rate=args.rate, show_tips=args.show_tips,
        prep=args.prep if args.prep is not None else (VIDEO_PREP_S if video else 0.0),
        end_silence=args.end_silence,
        max_seconds=args.max_seconds or (VIDEO_MAX_S if video else 180.0),
        start_timeout=args.start_timeout, video_mode=video, retakes=args.retakes,
        role=cfg.get("role"), values=cfg.get("values") or [], engine=cfg.get("engine"), model=cfg.get("model"),
        beam_size=cfg.get("beam_size"),
        story=story, thresholds=thresholds(),
        settings={k: v for k, v in {**cfg, "questions": args.questions, "count": len(questions), "seed": args.seed,
                                    "video_mode": video, "end_silence": args.end_silence,
                                    "max_seconds": args.max_seconds, "story": args.story}.items() if v not in (None, [], "")},
    )
    from voice_interviewer.recover import recover_unfinished

    recover_unfinished(root, announce=True)
    return run_session(opts)
